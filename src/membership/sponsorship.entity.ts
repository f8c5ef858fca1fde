import type { Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, Unique } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Application } from './application.entity.js';
import { Organisation } from './organisation.entity.js';

/** An active member of the collège vouching for an application; one per sponsor and application. */
@ObjectType({ description: 'An active member of the collège vouching for an application.' })
@Entity()
@Unique({ properties: ['application', 'sponsor'] })
export class Sponsorship extends BaseEntity {
  @ManyToOne(() => Application, { deleteRule: 'restrict', index: true })
  application!: Rel<Application>;

  /** The sponsoring member organisation. */
  @ManyToOne(() => Organisation, { deleteRule: 'restrict' })
  sponsor!: Rel<Organisation>;

  /** Who signed in and sponsored on the organisation's behalf. */
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  sponsoredBy!: Rel<Account>;
}
