import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** Shared input rules, so the same thing is checked the same way everywhere. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MESSAGE = 'must be lowercase letters and digits separated by single dashes';

/**
 * A text that says something: white space alone ("   ", a tab) is refused, with the other fields'
 * errors, before any service runs. Pairs with `@Length(1, n)`, which lets "   " through.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'it'} must not be blank (white space only)`,
      },
    },
    options,
  );
}
