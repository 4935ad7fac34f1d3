// A provider's course: what a roster credits. Core and specialization courses have the program's hours
// (rules training.core_hours and specialization.hours); a continuing education course has its own, some of
// them law and ethics.
import { auditContext, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { SPECIALIZATIONS } from '../certification/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { FieldChecks } from './form-checks.ts';
import { requireProviderReach } from './provider-access.ts';
import { courses } from './training.schema.ts';
import { isLanguageCode, isTrainingType } from './training.vocabulary.ts';

export interface CreateCourseInput {
  providerId: string;
  trainingType: string;
  specialization?: string | null | undefined;
  language: string;
  title: string;
  hours: number;
  lawEthicsHours: number;
}

export async function createCourse(db: Db, input: CreateCourseInput, context: UseCaseContext) {
  const provider = await requireProviderReach(db, context, 'training.courses.manage', 'manage courses', input.providerId);
  const check = new FieldChecks();
  const type = input.trainingType;
  if (!isTrainingType(type)) check.fail('trainingType', 'Choose core, continuing education or specialization.');
  const specialization = (input.specialization ?? '').trim() || null;
  if (type === 'specialization' && !(SPECIALIZATIONS as readonly string[]).includes(specialization ?? '')) check.fail('specialization', 'Choose the specialization the course teaches.');
  if (type !== 'specialization' && specialization !== null) check.fail('specialization', 'Only a specialization course names a specialization.');
  const language = (input.language ?? '').trim().toLowerCase();
  if (!isLanguageCode(language)) check.fail('language', 'Enter the language code, like en or es.');
  const title = check.text(input.title, 'title', 'Enter the course title.');
  const hours = check.hours(input.hours, 'hours');
  const lawEthicsHours = check.hours(input.lawEthicsHours, 'lawEthicsHours');
  if (hours === 0) check.fail('hours', 'A course has hours.');
  if (lawEthicsHours > hours) check.fail('lawEthicsHours', 'Law and ethics hours are part of the course’s hours, so they cannot be more.');
  check.done();

  const rules = await rulesAsOf(db, todayOf(context));
  const required = type === 'core' ? rules['training.core_hours'] : type === 'specialization' ? rules['specialization.hours'] : null;
  if (required !== null && hours !== required) {
    const message = `A ${type === 'core' ? 'core' : 'specialization'} course is ${required} hours.`;
    throw new AppError('rule-violation', message, [{ path: 'hours', message }], type === 'core' ? 'training.core_hours' : 'specialization.hours');
  }

  return db.transaction(async (tx) => {
    const [course] = await tx
      .insert(courses)
      .values({ providerId: provider.id, trainingType: type, specialization, language, title, hours, lawEthicsHours })
      .returning();
    if (!course) throw new Error('insert returned no row');
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.course.create',
      entityType: 'course',
      entityId: course.id,
      changes: [
        { field: 'providerId', before: null, after: provider.id },
        { field: 'trainingType', before: null, after: type },
        { field: 'specialization', before: null, after: specialization },
        { field: 'language', before: null, after: language },
        { field: 'title', before: null, after: title },
        { field: 'hours', before: null, after: hours },
        { field: 'lawEthicsHours', before: null, after: lawEthicsHours },
      ],
      reason: null,
    });
    return course;
  });
}
