import { Inject, Injectable } from '@nestjs/common';

import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { Tx } from '../database/transactions';
import { consoleLink } from '../mail/console-links';
import { SignedLinks } from '../mail/signed-links';
import type { InvitationEntity } from './invitation.entity';
import { InvitationsRepository } from './invitations.repository';

const PURPOSE = 'invitation';

/**
 * The signed, single-use link of an invitation. Signed (a changed byte is refused before any
 * database read), expiring with the invitation, bound to its email and to the nonce drawn when
 * it was (re)sent; single use because taking it up deletes the invitation.
 */
@Injectable()
export class InvitationLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly links: SignedLinks,
    private readonly invitations: InvitationsRepository,
  ) {}

  urlFor(invitation: Pick<InvitationEntity, 'id' | 'linkNonce' | 'email' | 'expiresAt'>): string {
    const token = this.links.sign(
      PURPOSE,
      { i: invitation.id, n: invitation.linkNonce, m: invitation.email },
      invitation.expiresAt,
    );
    return consoleLink(this.config.publicUrl, 'accept-invitation', token);
  }

  /** The invitation the link names, removed, if the link is genuine, current and for `email`. */
  async take(
    tx: Tx,
    token: string,
    email: string,
  ): Promise<Pick<InvitationEntity, 'organizationId' | 'role'>> {
    const claims = this.links.verify(PURPOSE, token);
    const taken =
      claims?.['i'] && claims['n'] && claims['m'] === email
        ? await this.invitations.takeByLink(tx, { invitationId: claims['i'], nonce: claims['n'], email })
        : null;
    if (!taken) {
      throw new DomainError(
        'INVITATION_LINK_INVALID',
        'The invitation link is invalid, expired, already used or for another address',
      );
    }
    return taken;
  }
}
