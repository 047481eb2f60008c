import { notFoundError } from '../core/errors.js';
import { handler, type PartialOperationTable } from '../core/registry.js';
import type { MpaAssociationRecord } from '../state/records.js';
import { commit, settingsChange } from '../state/commit.js';
import { lockName, locked } from '../keys/key-access.js';
import type { MpaTeamAssociation } from '../model/control-plane.types.generated.js';

/**
 * Multi-Party Approval team associations (2026-04): AssociateMpaTeam, DisassociateMpaTeam,
 * GetMpaTeamAssociation, per account and region, one association per protected action
 * (`IMPORT_ROOT_PUBLIC_KEY_CERTIFICATE`).
 * NOTE: there is no MPA service behind the emulator: an association is ACTIVE at once (no
 * approval session, no `MpaStatus`), and protected operations are not gated by it.
 * NOTE: associating an action that already has a team replaces the team.
 * NOTE: DisassociateMpaTeam removes the association at once and answers it with
 * `AssociationState: DELETE_PENDING`; an action without a team → ResourceNotFoundException.
 */
function view(r: MpaAssociationRecord): MpaTeamAssociation {
  return { Action: r.action as MpaTeamAssociation['Action'], MpaTeamArn: r.mpaTeamArn, AssociationState: r.associationState };
}

export const mpaOperations: PartialOperationTable<'AssociateMpaTeam' | 'DisassociateMpaTeam' | 'GetMpaTeamAssociation'> = {
  AssociateMpaTeam: handler<'AssociateMpaTeam'>(async (input, ctx) =>
    locked(ctx, () => [lockName(ctx.state, 'settings')], async () => {
      const rec: MpaAssociationRecord = { action: input.Action, mpaTeamArn: input.MpaTeamArn, associationState: 'ACTIVE' };
      const mpa = new Map(ctx.state.mpa).set(rec.action, rec);
      await commit(ctx, [settingsChange(ctx, ctx.state, { defaultReplicationRegions: ctx.state.defaultReplicationRegions, mpa })]);
      return { MpaTeamAssociation: view(rec) };
    }),
  ),

  DisassociateMpaTeam: handler<'DisassociateMpaTeam'>(async (input, ctx) =>
    locked(ctx, () => [lockName(ctx.state, 'settings')], async () => {
      const rec = ctx.state.mpa.get(input.Action);
      if (rec === undefined) throw notFoundError(input.Action, `No MPA team is associated with ${input.Action}`);
      const mpa = new Map(ctx.state.mpa);
      mpa.delete(input.Action);
      await commit(ctx, [settingsChange(ctx, ctx.state, { defaultReplicationRegions: ctx.state.defaultReplicationRegions, mpa })]);
      return { MpaTeamAssociation: view({ ...rec, associationState: 'DELETE_PENDING' }) };
    }),
  ),

  GetMpaTeamAssociation: handler<'GetMpaTeamAssociation'>((input, ctx) => {
    const rec = ctx.state.mpa.get(input.Action);
    if (rec === undefined) throw notFoundError(input.Action, `No MPA team is associated with ${input.Action}`);
    return { MpaTeamAssociation: view(rec) };
  }),
};
