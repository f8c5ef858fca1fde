import { registerEnumType } from 'type-graphql';

/** What a role assignment grants. Scopes: ADMIN has none; the others a cluster or a collège. */
export enum Role {
  ADMIN = 'ADMIN',
  CLUSTER_ADMIN = 'CLUSTER_ADMIN',
  COLLEGE_REPRESENTATIVE = 'COLLEGE_REPRESENTATIVE',
  TREASURER = 'TREASURER',
  BOARD_MEMBER = 'BOARD_MEMBER',
  MEMBER = 'MEMBER',
}

/** Which scope each role must carry: the database checks the same (role_assignment_scope). */
export const ROLE_SCOPE: Record<Role, 'GLOBAL' | 'CLUSTER' | 'COLLEGE' | 'CLUSTER_OR_COLLEGE'> = {
  [Role.ADMIN]: 'GLOBAL',
  [Role.CLUSTER_ADMIN]: 'CLUSTER',
  [Role.TREASURER]: 'CLUSTER',
  [Role.BOARD_MEMBER]: 'CLUSTER',
  [Role.COLLEGE_REPRESENTATIVE]: 'COLLEGE',
  [Role.MEMBER]: 'CLUSTER_OR_COLLEGE',
};

registerEnumType(Role, {
  name: 'Role',
  description: 'A right held by an account over a scope, for a period.',
  valuesConfig: {
    ADMIN: { description: 'Platform administrator: everything, everywhere. Has no scope.' },
    CLUSTER_ADMIN: { description: "Sets up a cluster: its collèges, rules, board seats and people's roles. Cluster scope." },
    COLLEGE_REPRESENTATIVE: { description: 'Elected representative of a collège: decides on its applications. Collège scope.' },
    TREASURER: { description: "Keeps a cluster's subsidies and ledger. Cluster scope." },
    BOARD_MEMBER: { description: "Holds a seat on a cluster's board: reads proposals and votes. Cluster scope." },
    MEMBER: { description: 'Contact of a member organisation. Cluster or collège scope.' },
  },
});
