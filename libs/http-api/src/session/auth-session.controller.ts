import { readFileSync } from 'node:fs';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@ihl/application';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Public, Roles } from '../auth/auth.guard';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { DEMO_USERS } from './demo-users';
import { DemoSignInDto } from './demo-sign-in.dto';
import { startSession } from './oidc-navigation';
import { SESSION_STORE, fromThisSite, sessionOf } from './session-auth';
import { SESSION_COOKIE, clearCookie, cookieIsSecure, readCookie } from './session-cookie';
import { SessionStore, type Session } from './session-store';

/** What the pages learn about the signed-in user (and how else one could sign in). */
export interface SessionAnswer {
  readonly signedIn: boolean;
  readonly actor?: Actor;
  readonly csrfToken?: string;
  readonly expiresAt?: string;
  readonly signIn: { readonly oidc: boolean; readonly demoUsers: readonly Actor[] };
  /** The project the pages open (the code in LEDGER_PROJECT_FILE), null when none is configured. */
  readonly project: string | null;
}

/**
 * The web app's sign-in (backend for frontend): the browser never holds a token, only an
 * http-only session cookie (GET /auth/login and /auth/callback, the trips to the OpenID provider,
 * are in oidc-navigation.ts); the pages then call the same /api/v1 routes as any client, and the
 * AuthGuard resolves the cookie to the same actor a token would give.
 */
@ApiExcludeController()
@Controller('auth')
export class AuthSessionController {
  private readonly project: string | null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiSettings,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {
    this.project = projectCode(config.projectFile);
  }

  @Get('me')
  @Public()
  me(
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): SessionAnswer {
    res.setHeader('Cache-Control', 'no-store');
    return this.answer(sessionOf(this.sessions, req));
  }

  /** Demo mode only: signs in as one of the demo users, from this site's own sign-in page. */
  @Post('demo')
  @Public()
  @HttpCode(200)
  demo(@Body() body: DemoSignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): SessionAnswer {
    if (!this.config.demoUsers) throw new NotFoundException('demo users are off (LEDGER_DEMO_USERS)');
    if (!fromThisSite(req)) throw new ForbiddenException('Origin: sign in from this site’s own page');
    const actor = DEMO_USERS.find((u) => u.subject === body.user)!;
    res.setHeader('Cache-Control', 'no-store');
    return this.answer(startSession(this.sessions, this.config, req, res, actor));
  }

  /** Ends the session (the row is deleted: the cookie is worth nothing afterwards, wherever it went). */
  @Post('logout')
  @Roles('agency-auditor', 'finance-officer', 'partner-submitter', 'admin')
  @HttpCode(204)
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) this.sessions.end(id);
    clearCookie(res, SESSION_COOKIE, cookieIsSecure(this.config, req));
  }

  private answer(session: Session | null): SessionAnswer {
    const signIn = { oidc: this.config.oidc !== undefined, demoUsers: this.config.demoUsers ? DEMO_USERS : [] };
    if (!session) return { signedIn: false, signIn, project: this.project };
    return {
      signedIn: true,
      actor: session.actor,
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
      signIn,
      project: this.project,
    };
  }
}

/** The code of the project file (the web app's HTML preloads its reads too), or null. */
export function projectCode(file: string | undefined): string | null {
  if (!file) return null;
  try {
    const code = (JSON.parse(readFileSync(file, 'utf8')) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
