import { Check, Entity, Enum, Index, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { SIZE_CLASS_SQL, SizeClass } from './french-identifiers.js';
import { nameKeySql } from './organisation-name.js';
import { OrganisationKind } from './organisation-kind.js';

registerEnumType(SizeClass, {
  name: 'SizeClass',
  description: 'INSEE size class, from the headcount.',
  valuesConfig: {
    TPE: { description: 'Très petite entreprise: fewer than 10 employees.' },
    PME: { description: 'Petite ou moyenne entreprise: fewer than 250 employees.' },
    ETI: { description: 'Entreprise de taille intermédiaire: fewer than 5 000 employees.' },
    GE: { description: 'Grande entreprise: 5 000 employees or more.' },
  },
});

/** A legal entity that can be a member: company, school, lab, public body, association… */
@ObjectType({ description: 'A legal entity that can apply for membership: a company, a school, a lab, a public body, an association…' })
@Entity()
@Check({ name: 'organisation_siren_format', expression: `siren is null or siren ~ '^[0-9]{9}$'` })
@Check({ name: 'organisation_siret_format', expression: `siret is null or siret ~ '^[0-9]{14}$'` })
@Check({ name: 'organisation_siret_in_siren', expression: 'siret is null or siren is null or left(siret, 9) = siren' })
@Check({ name: 'organisation_headcount_positive', expression: 'headcount is null or headcount >= 0' })
// Possible duplicates by name (organisation-duplicates.ts): the trigrams of the name's key (pg_trgm).
@Index({
  name: 'organisation_name_key_trgm',
  expression: 'create index "organisation_name_key_trgm" on "organisation" using gin ("name_key" gin_trgm_ops)',
})
// The organisations' search (name contains, case-insensitive): the trigrams of the name find the
// few matches of a rare word without reading the registry in name order.
@Index({
  name: 'organisation_name_trgm',
  expression: 'create index "organisation_name_trgm" on "organisation" using gin ("name" gin_trgm_ops)',
})
// A rename re-sorts its memberships in the collèges' directories (membership.sort_name, see Membership).
@Trigger({
  name: 'organisation_rename_sorts_memberships',
  timing: 'after',
  events: ['update'],
  forEach: 'row',
  body: 'if new.name is distinct from old.name then update membership set sort_name = new.name where organisation_id = new.id; end if; return null;',
})
export class Organisation extends BaseEntity<
  'siren' | 'siret' | 'headcount' | 'sizeClass' | 'foundedOn' | 'departement' | 'region' | 'website' | 'affiliations'
> {
  @Field({ description: 'Name, e.g. "Soledge".' })
  @Property({ length: 200 })
  @Index()
  name!: string;

  /** The name without accents, case, punctuation, legal forms or articles (organisation-name.ts), computed by the database. */
  @Property({ type: 'text', generated: `(${nameKeySql('name')}) stored` })
  @Index()
  nameKey?: string;

  @Field(() => OrganisationKind, { description: 'Legal nature, as admission rules see it.' })
  @Enum({ items: () => OrganisationKind, nativeEnumName: 'organisation_kind' })
  kind!: OrganisationKind;

  // Read through OrganisationResolver: signed-in callers only (public bodies' identifiers: anyone).
  @Property({ type: 'character', length: 9, nullable: true })
  @Unique()
  siren?: string | null;

  @Property({ type: 'character', length: 14, nullable: true })
  @Unique()
  siret?: string | null;

  @Property({ type: 'integer', nullable: true })
  headcount?: number | null;

  /** Derived by the database from the headcount, so filters and the API can never disagree. */
  @Property({ type: 'text', nullable: true, generated: `(${SIZE_CLASS_SQL}) stored` })
  @Index()
  sizeClass?: SizeClass | null;

  @Field(() => String, { nullable: true, description: 'Founding date (ISO date).' })
  @Property({ type: 'date', nullable: true })
  foundedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Département code: 01–95, 2A, 2B, 971–976.' })
  @Property({ length: 3, nullable: true })
  @Index()
  departement?: string | null;

  @Field(() => String, { nullable: true, description: 'Region (derived from the département when it is given).' })
  @Property({ type: 'text', nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Public website.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  @Field(() => [String], { description: 'Networks it belongs to, e.g. "France Clusters", "French Tech".' })
  @Property({ type: 'text[]' })
  affiliations: string[] = [];
}
