// zod contracts of the alerts JSON API (validation, serialization and the OpenAPI document).
import { z } from 'zod';

const Status = z.string().meta({ description: 'active, expired, suspended, revoked or vacated' });

export const WatchOut = z.object({
  number: z.string(),
  fullName: z.string().meta({ description: 'The legal name as the registry shows it' }),
  statusToday: Status.nullable(),
  addedAt: z.string(),
});

export const WatchListOut = z.object({ today: z.string(), watches: z.array(WatchOut) }).meta({ id: 'AlertWatchList' });

export const AddWatchesBody = z.object({
  numbers: z
    .union([z.array(z.string().max(100)).min(1).max(1000), z.string().min(1).max(64 * 1024)])
    .meta({ description: 'Certification numbers (PSS-100001), as a list or as pasted text separated by commas, spaces or lines' }),
});

export const AddWatchesOut = z
  .object({
    added: z.array(z.string()),
    alreadyWatched: z.array(z.string()),
    refused: z.array(z.object({ number: z.string(), message: z.string() })),
  })
  .meta({ id: 'AlertWatchesAdded' });

export const NumberParams = z.object({ number: z.string().max(100) });

export const WebhookBody = z.object({
  url: z.string().max(2000).meta({ description: 'https:// address that answers a POST with 2xx' }),
  rotateSecret: z.boolean().optional().meta({ description: 'Make a new signing secret (the old one stops working at once)' }),
});

export const WebhookOut = z
  .object({
    url: z.string(),
    registeredAt: z.string(),
    secret: z.string().nullable().meta({ description: 'The signing secret, only when this call made one (first registration or rotation): it is never shown again' }),
  })
  .meta({ id: 'AlertWebhook' });

export const DeliveriesOut = z
  .object({
    deliveries: z.array(
      z.object({
        id: z.string(),
        eventId: z.string(),
        certificationNumber: z.string(),
        statusAfter: Status,
        status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
        attempts: z.number().int(),
        lastAttemptAt: z.string().nullable(),
        lastStatusCode: z.number().int().nullable(),
        lastError: z.string().nullable(),
        nextAttemptAt: z.string().nullable(),
        deliveredAt: z.string().nullable(),
        attemptLog: z.array(
          z.object({
            attempt: z.number().int(),
            url: z.string(),
            at: z.string(),
            durationMs: z.number().int(),
            statusCode: z.number().int().nullable(),
            error: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'AlertDeliveries' });
