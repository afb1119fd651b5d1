import { Entity, ManyToOne, PrimaryKeyProp, type Ref } from '@mikro-orm/core';
import { Branch } from './branch.entity';
import { User } from './user.entity';

/** Which branches a user works for (BR-CRM assignments are keyed by branch + user). */
@Entity({ tableName: 'user_branch' })
export class UserBranch {
  [PrimaryKeyProp]?: ['user', 'branch'];

  @ManyToOne({ entity: () => User, ref: true, primary: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @ManyToOne({ entity: () => Branch, ref: true, primary: true, index: true, deleteRule: 'cascade' })
  branch!: Ref<Branch>;
}
