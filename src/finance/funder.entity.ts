import { BigIntType, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Organisation } from '../membership/organisation.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { MoneyScalar } from './money.js';

export enum FunderKind {
  REGION = 'REGION',
  DEPARTMENT = 'DEPARTMENT',
  METROPOLIS = 'METROPOLIS',
  STATE = 'STATE',
  EU_ERDF = 'EU_ERDF',
  PRIVATE = 'PRIVATE',
  OTHER = 'OTHER',
}

registerEnumType(FunderKind, {
  name: 'FunderKind',
  description: 'Who a funder is.',
  valuesConfig: {
    REGION: { description: 'A regional council (e.g. Région Occitanie).' },
    DEPARTMENT: { description: 'A departmental council.' },
    METROPOLIS: { description: 'A metropolis or another grouping of communes.' },
    STATE: { description: 'The State and its agencies.' },
    EU_ERDF: { description: 'European Regional Development Fund (FEDER), usually channelled by the Region.' },
    PRIVATE: { description: 'A company, a foundation, a sponsor.' },
    OTHER: { description: 'Anyone else.' },
  },
});

export enum ProgrammeKind {
  CALL_FOR_PROJECTS = 'CALL_FOR_PROJECTS',
  OPERATIONAL_PROGRAMME = 'OPERATIONAL_PROGRAMME',
  OTHER = 'OTHER',
}

registerEnumType(ProgrammeKind, {
  name: 'ProgrammeKind',
  description: 'What kind of funding programme.',
  valuesConfig: {
    CALL_FOR_PROJECTS: { description: 'A call for projects with laureates (e.g. "Fab Région").' },
    OPERATIONAL_PROGRAMME: { description: 'A multi-year programme (e.g. a FEDER operational programme).' },
    OTHER: { description: 'Any other scheme.' },
  },
});

export enum LaureateKind {
  CREATION = 'CREATION',
  EXTENSION = 'EXTENSION',
  OTHER = 'OTHER',
}

registerEnumType(LaureateKind, {
  name: 'LaureateKind',
  description: 'What a laureate project does.',
  valuesConfig: {
    CREATION: { description: 'Creates something new (e.g. a new Fab Lab).' },
    EXTENSION: { description: 'Extends something that exists (e.g. Artilect’s Fab Lab).' },
    OTHER: { description: 'Anything else.' },
  },
});

/** A public or private funder. Funders are shared by every cluster: the Region funds many. */
@ObjectType({ description: 'A funder: the Region, the State, the EU (FEDER), a metropolis… Shared by every cluster.' })
@Entity()
export class Funder extends BaseEntity<'region' | 'website'> {
  @Field({ description: 'Name, unique, e.g. "Région Occitanie".' })
  @Property({ length: 200 })
  @Unique()
  name!: string;

  @Field(() => FunderKind, { description: 'Who it is.' })
  @Enum({ items: () => FunderKind, nativeEnumName: 'funder_kind' })
  kind!: FunderKind;

  @Field(() => String, { nullable: true, description: 'Region it acts in, when it is a local authority.' })
  @Property({ type: 'text', nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Public website.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;
}

/** A funding programme or call for projects of a funder. */
@ObjectType({ description: 'A funding programme or call for projects (e.g. "Fab Région"), with its laureates.' })
@Entity()
@Unique({ properties: ['funder', 'name'] })
@Check({ name: 'programme_budget_positive', expression: 'budget is null or budget > 0' })
@Check({ name: 'programme_period', expression: 'closes_on is null or opens_on is null or closes_on >= opens_on' })
export class Programme extends BaseEntity<'reference' | 'budget' | 'opensOn' | 'closesOn' | 'description'> {
  @ManyToOne(() => Funder, { deleteRule: 'restrict', index: true })
  funder!: Rel<Funder>;

  @Field({ description: 'Name, unique per funder.' })
  @Property({ length: 200 })
  name!: string;

  @Field(() => ProgrammeKind, { description: 'What kind of programme.' })
  @Enum({ items: () => ProgrammeKind, nativeEnumName: 'programme_kind' })
  kind!: ProgrammeKind;

  @Field(() => String, { nullable: true, description: 'The funder’s reference (e.g. the operational programme’s code).' })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Total budget of the programme, in cents.' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  budget?: bigint | null;

  @Field(() => String, { nullable: true, description: 'First day applications are accepted (ISO date).' })
  @Property({ type: 'date', nullable: true })
  opensOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day applications are accepted (ISO date).' })
  @Property({ type: 'date', nullable: true })
  closesOn?: string | null;

  @Field(() => String, { nullable: true, description: 'What it funds.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;
}

/** A laureate of a call for projects: an organisation and its project. */
@ObjectType({ description: 'A laureate of a programme: an organisation and the project selected.' })
@Entity()
@Unique({ properties: ['programme', 'organisation', 'project'] })
@Check({ name: 'laureate_amount_positive', expression: 'amount is null or amount > 0' })
export class Laureate extends BaseEntity<'amount'> {
  @ManyToOne(() => Programme, { deleteRule: 'restrict', index: true })
  programme!: Rel<Programme>;

  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @Field({ description: 'The project selected, e.g. "Fab Lab extension".' })
  @Property({ type: 'text' })
  project!: string;

  @Field(() => LaureateKind, { description: 'Creation, extension…' })
  @Enum({ items: () => LaureateKind, nativeEnumName: 'laureate_kind' })
  kind!: LaureateKind;

  @Field(() => MoneyScalar, { nullable: true, description: 'Amount granted to this project, in cents, when known.' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  amount?: bigint | null;
}
