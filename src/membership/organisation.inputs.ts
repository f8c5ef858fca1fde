import { NotBlank } from '../shared/validation.js';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../shared/scalars.js';
import { DEPARTEMENT_REGION, normaliseIdentifier, siretProblem, sirenProblem } from './french-identifiers.js';
import { OrganisationKind } from './organisation-kind.js';

/** A SIREN, spaces allowed: checked with the other fields, so every error is reported at once. */
const IsSiren = () =>
  ValidateBy({
    name: 'siren',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || sirenProblem(normaliseIdentifier(value)) === null,
      defaultMessage: (args?: ValidationArguments) => sirenProblem(normaliseIdentifier(String(args?.value))) ?? 'invalid SIREN',
    },
  });

/** A SIRET, spaces allowed, consistent with the SIREN given beside it. */
const IsSiret = () =>
  ValidateBy({
    name: 'siret',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => typeof value !== 'string' || siretProblemOf(value, args) === null,
      defaultMessage: (args?: ValidationArguments) => siretProblemOf(String(args?.value), args) ?? 'invalid SIRET',
    },
  });

function siretProblemOf(value: string, args?: ValidationArguments): string | null {
  const siren = (args?.object as { siren?: unknown } | undefined)?.siren;
  return siretProblem(normaliseIdentifier(value), typeof siren === 'string' ? normaliseIdentifier(siren) : null);
}

/**
 * A département code that exists: 01–95 except 20 (Corsica is 2A and 2B), 2A, 2B, 971–976.
 * Checked against the département → region table rather than a digit pattern, which let "20"
 * through with no region.
 */
export const IsDepartement = () =>
  IsIn([...DEPARTEMENT_REGION.keys()], { message: 'departement must be 01–95 (not 20), 2A, 2B or 971–976' });

@InputType({ description: 'A person acting for an organisation.' })
export class PersonInput {
  @Field({ description: 'Full name (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  fullName!: string;

  @Field({ nullable: true, description: 'Contact email.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @Field({ nullable: true, description: 'Role in the organisation, e.g. "CEO".' })
  @IsOptional()
  @MaxLength(200)
  roleInOrganisation?: string;
}

@InputType({
  description:
    'A new organisation. Who creates it becomes a person acting for it, unless they are a representative or an administrator acting on its behalf.',
})
export class CreateOrganisationInput {
  @Field({ description: 'Name (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  name!: string;

  @Field(() => OrganisationKind, { description: 'Legal nature.' })
  @IsEnum(OrganisationKind)
  kind!: OrganisationKind;

  @Field({
    nullable: true,
    description: 'SIREN: 9 digits with a valid Luhn checksum; spaces as typed ("826 709 339") are accepted and dropped.',
  })
  @IsOptional()
  @IsString()
  @IsSiren()
  siren?: string;

  @Field({
    nullable: true,
    description: 'SIRET: 14 digits, starting with the SIREN, with a valid checksum; spaces as typed are accepted and dropped.',
  })
  @IsOptional()
  @IsString()
  @IsSiret()
  siret?: string;

  @Field(() => Int, { nullable: true, description: 'Number of employees (0 or more).' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'headcount must not be negative' })
  headcount?: number;

  @Field(() => LocalDate, { nullable: true, description: 'Founding date; not in the future.' })
  @IsOptional()
  foundedOn?: string;

  @Field({ nullable: true, description: 'Département code: 01–95, 2A, 2B, 971–976. The region follows from it.' })
  @IsOptional()
  @IsDepartement()
  departement?: string;

  @Field({ nullable: true, description: 'Public website (http or https URL).' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  website?: string;

  @Field(() => [String], { nullable: true, description: 'Networks it belongs to, e.g. "France Clusters".' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @NotBlank({ each: true })
  @Length(1, 200, { each: true })
  affiliations?: string[];

  @Field(() => PersonInput, { nullable: true, description: 'The person acting for it (defaults to the caller’s display name).' })
  @IsOptional()
  @ValidateNested()
  contact?: PersonInput;

  @Field({
    nullable: true,
    defaultValue: false,
    description:
      'True to create it even though organisations with a close name exist (the caller saw `possibleDuplicates` and says it is another one). Otherwise, when some exist, nothing is created and they are returned.',
  })
  @IsOptional()
  @IsBoolean()
  notADuplicate?: boolean;
}

@InputType({ description: 'Changes to an organisation; absent fields are left as they are.' })
export class UpdateOrganisationInput {
  @Field(() => ID, { description: 'The organisation.' })
  @IsUUID()
  id!: string;

  @Field({ nullable: true, description: 'New name.' })
  @IsOptional()
  @NotBlank()
  @Length(1, 200)
  name?: string;

  @Field(() => Int, { nullable: true, description: 'New headcount (0 or more).' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'headcount must not be negative' })
  headcount?: number;

  @Field({ nullable: true, description: 'New département code.' })
  @IsOptional()
  @IsDepartement()
  departement?: string;

  @Field({ nullable: true, description: 'New website.' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  website?: string;

  @Field(() => [String], { nullable: true, description: 'New list of affiliations (replaces the old one).' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @NotBlank({ each: true })
  @Length(1, 200, { each: true })
  affiliations?: string[];
}

@InputType({ description: 'A person to add to an organisation.' })
export class AddPersonInput extends PersonInput {
  @Field(() => ID, { description: 'The organisation.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'An account to link: that account then acts for the organisation (becomes its contact).',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;
}
