// Assess (or remediate) every member of a group now; the task names the group. Scheduled group
// assessments resolve the members when they run, through the same function.
import type { TaskPort } from './triggers.ts';
import { GroupError, type Autogroups } from './autogroups.ts';

export async function assessGroup(groups: Autogroups, tasks: Pick<TaskPort, 'createAssessment'>, groupId: string,
  opts: { policyId?: string; remediate: boolean; trigger?: string; policyExists: (id: string) => boolean }): Promise<{ id: string }> {
  const g = groups.get(groupId);
  if (!g) throw new GroupError(404, 'group-not-found', `no group ${groupId}`);
  const policyId = opts.policyId ?? g.policyId;
  if (!policyId) throw new GroupError(400, 'no-policy', `group "${g.name}" has no policy: name one`, [{ field: 'policyId', message: 'the group has no policy; name one' }]);
  if (!opts.policyExists(policyId)) throw new GroupError(400, 'policy-not-found', `no policy ${policyId}`, [{ field: 'policyId', message: `no policy ${policyId}` }]);
  const serials = groups.index.memberList(groupId).map(([s]) => s).sort();
  return tasks.createAssessment(policyId, serials, opts.remediate, opts.trigger ?? 'group', { groupId: g.id, groupName: g.name });
}
