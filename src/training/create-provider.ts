// Certification staff record a training provider: an individual instructor, an agency, or co-providers with
// their lead agency (PROGRAM.md §9.1).
import { auditContext, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { FieldChecks } from './form-checks.ts';
import { trainingProviders } from './training.schema.ts';
import { isProviderKind, type ProviderKind } from './training.vocabulary.ts';

export interface CreateProviderInput {
  name: string;
  kind: string;
  /** Co-providers only: the agency that leads the group. */
  leadAgency?: string | null | undefined;
  contactEmail: string;
}

export async function createTrainingProvider(db: Db, input: CreateProviderInput, context: UseCaseContext) {
  requireCan(context, 'training.providers.manage', 'record training providers');
  const check = new FieldChecks();
  const name = check.text(input.name, 'name', 'Enter the provider’s name.');
  if (!isProviderKind(input.kind)) check.fail('kind', 'Choose whether the provider is an individual, an agency or co-providers.');
  const kind = input.kind as ProviderKind;
  const leadAgency = (input.leadAgency ?? '').trim();
  if (kind === 'co_provider' && leadAgency === '') check.fail('leadAgency', 'Co-providers name their lead agency.');
  if (kind !== 'co_provider' && leadAgency !== '') check.fail('leadAgency', 'Only co-providers have a lead agency; leave it empty.');
  if (leadAgency.length > 200) check.fail('leadAgency', 'Keep it under 200 characters.');
  const contactEmail = check.email(input.contactEmail, 'contactEmail');
  check.done();

  return db.transaction(async (tx) => {
    const [provider] = await tx
      .insert(trainingProviders)
      .values({ name, kind, leadAgency: leadAgency || null, contactEmail })
      .returning();
    if (!provider) throw new Error('insert returned no row');
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.provider.create',
      entityType: 'training_provider',
      entityId: provider.id,
      changes: [
        { field: 'name', before: null, after: name },
        { field: 'kind', before: null, after: kind },
        { field: 'leadAgency', before: null, after: provider.leadAgency },
        { field: 'contactEmail', before: null, after: contactEmail },
      ],
      reason: null,
    });
    return provider;
  });
}
