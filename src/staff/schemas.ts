import { z } from 'zod';
import { personName } from './names.ts';

export const staffMemberSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const createStaffSchema = z
  .object({
    name: personName(100).describe('Full name, once per person'),
    distinctFrom: z.array(z.uuid()).max(20).optional().describe('Staff members with a name that looks the same, whom the admin confirms are other people'),
  })
  .strict();
