// Members: which messages they get and the consents the mini-program collected. Owners: the outbox.
import Router from '@koa/router';
import { MessagePaths, OutboxQuery, RecordConsentRequest, UpdateMessagePreferencesRequest } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { authorize, memberIdOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

export function messageRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');

  router.get(MessagePaths.myPreferences, self, async (ctx) => {
    ctx.body = await deps.messages.preferences(memberIdOf(ctx));
  });

  router.put(MessagePaths.myPreferences, self, validate(UpdateMessagePreferencesRequest), async (ctx) => {
    const { muted } = inputOf(ctx, UpdateMessagePreferencesRequest);
    ctx.body = await deps.messages.setMuted(memberIdOf(ctx), muted);
  });

  router.post(MessagePaths.myConsents, self, validate(RecordConsentRequest), async (ctx) => {
    ctx.body = await deps.messages.recordConsent(memberIdOf(ctx), inputOf(ctx, RecordConsentRequest));
  });

  router.get(MessagePaths.adminOutbox, authorize('message.read'), validate(OutboxQuery, 'query'), async (ctx) => {
    ctx.body = await deps.messages.outboxPage(inputOf(ctx, OutboxQuery));
  });

  return router;
}
