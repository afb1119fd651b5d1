import type { Row } from '../services/shared/rows';
import { Arg, Ctx, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { authorizeSubscription } from '../auth/permissions';
import { ImportJob } from '../entities';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS, type ImportJobProgressEvent } from '../kernel/topics';
import { customerImport, importJobVisibleTo } from '../services/customers/customer-import.service';
import { assertId } from '../kernel/errors';
import { renewForEvent, type Context } from '../schema/context';

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, {
    nullable: true,
    description:
      'A customer import (POST /imports/customers): progress, counts and the cleaning report.',
  })
  importJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ImportJob> {
    return customerImport.get(ctx, id);
  }

  @Subscription(() => ImportJob, {
    description: 'The import job after every batch it writes, and once when it ends.',
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const jobId = assertId((args as { jobId: string }).jobId, 'jobId');
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('importJobProgress', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.importJobProgress },
        load: (em, event: ImportJobProgressEvent) =>
          event.jobId === jobId ? em.findOne(ImportJob, { id: jobId }) : Promise.resolve(null),
        visible: (viewer, job: ImportJob) => importJobVisibleTo(viewer, job),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  importJobProgress(
    @Root() job: Row<ImportJob>,
    @Arg('jobId', () => ID) _jobId: string,
  ): Row<ImportJob> {
    return job;
  }
}
