// Named API tokens (issue 16 §8): listed without secrets, made (the secret is in that one answer), revoked.
// Only a signed-in user manages tokens: a token cannot make or revoke tokens, so a leaked one cannot
// entrench itself.
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import { recordChange } from '../audit.ts';
import { TokenError, tokenInputSchema } from '../api-tokens.ts';
import type { AppServices } from '../services.ts';
import type { AuthState } from '../cookie-auth.ts';
import { parseBody } from './core.ts';

function tokens(s: AppServices) {
  if (!s.apiTokens) throw new ApiError(503, 'tokens-unavailable', 'API tokens are not set up on this appliance');
  return s.apiTokens;
}

function signedInUser(auth: AuthState) {
  if (auth.via === 'api-token') throw new ApiError(403, 'token-not-allowed', 'API tokens are managed by a signed-in user, not by another token');
}

export function tokenRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/tokens', (ctx) => {
    ctx.body = { tokens: tokens(s).list() };
  });

  router.post('/api/v1/tokens', async (ctx) => {
    signedInUser(ctx.state.auth);
    const input = parseBody(tokenInputSchema, ctx.request.body);
    try {
      const { token, secret } = await tokens(s).create(input, ctx.state.auth.username);
      recordChange(ctx, { action: 'token.create', after: token });
      ctx.status = 201;
      ctx.body = { token, secret, note: 'Shown once: copy it now. Send it as Authorization: Bearer <secret>.' };
    } catch (err) {
      if (err instanceof TokenError) throw new ApiError(err.status, err.code, err.message);
      throw err;
    }
  });

  router.delete('/api/v1/tokens/:id', async (ctx) => {
    signedInUser(ctx.state.auth);
    const gone = await tokens(s).revoke(ctx.params.id);
    if (!gone) throw new ApiError(404, 'token-not-found', `no token ${ctx.params.id}`);
    recordChange(ctx, { action: 'token.revoke', before: gone });
    ctx.body = { revoked: gone };
  });
}
