import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { containsPersonalCode } from '@ihl/privacy';

export const MONEY = /^(0|[1-9]\d{0,12})\.\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Money is a decimal string with exactly two places; a JSON number is refused. */
export const IsMoney = (example = '1234.56') =>
  applyDecorators(
    ApiProperty({ example, type: String }),
    IsString({ message: '$property must be a decimal string with two places, e.g. "1234.56" (no floats)' }),
    Matches(MONEY, { message: '$property must be a decimal string with two places, e.g. "1234.56" (no floats)' }),
  );
export const IsDate = (example = '2024-03-15') =>
  applyDecorators(
    ApiProperty({ example }),
    IsString(),
    Matches(DATE, { message: '$property must be a date YYYY-MM-DD' }),
  );

/** The rule name of a free-text value refused because it holds a personal code (answered 422). */
export const NO_PERSONAL_CODE = 'no-personal-code';

/**
 * Free text, references and names end up in events, which are kept for good and read by every
 * auditor: a personal code there could never be erased. Persons are identified only through
 * recipient.personalCode, which is pseudonymized on arrival. The rule is findPersonalCodesInText's.
 */
export const NoPersonalCode = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: NO_PERSONAL_CODE,
      validator: {
        // Other rules of the field report values that are not strings.
        validate: (value: unknown) => typeof value !== 'string' || !containsPersonalCode(value),
        defaultMessage: () =>
          '$property must not contain a personal code (asmens kodas) or 11 digits shaped like one: free text is kept for good and seen by others; remove the code (a person is identified only by recipient.personalCode)',
      },
    },
    options,
  );

export const IsText = (max = 300) =>
  applyDecorators(ApiProperty(), IsString(), IsNotEmpty(), MaxLength(max), NoPersonalCode());
export const IsOptionalText = (max = 300) =>
  applyDecorators(ApiPropertyOptional(), IsOptional(), IsString(), IsNotEmpty(), MaxLength(max), NoPersonalCode());
export const IsReason = () =>
  applyDecorators(
    ApiProperty({ example: 'duplicate entry' }),
    IsString(),
    MinLengthTrimmed(3),
    MaxLength(1000),
    NoPersonalCode(),
  );
/** An optional note for an auditor's or finance officer's decision; it goes into the event. */
export const IsOptionalNote = () =>
  applyDecorators(ApiPropertyOptional(), IsOptional(), IsString(), Length(1, 1000), NoPersonalCode());
export const IsOneOf = (values: readonly string[]) => applyDecorators(ApiProperty({ enum: values }), IsIn(values));
export const IsCount = (min: number, max: number) =>
  applyDecorators(ApiProperty({ minimum: min, maximum: max }), IsInt(), Min(min), Max(max));
export const IsOptionalRef = () =>
  applyDecorators(
    ApiPropertyOptional(),
    IsOptional(),
    IsString(),
    Matches(REF, { message: '$property must be 1-64 letters, digits, dots, dashes or underscores' }),
    NoPersonalCode(),
  );
export const IsOptionalUuid = () =>
  applyDecorators(ApiPropertyOptional({ format: 'uuid' }), IsOptional(), IsUUID('all'));
export const IsOptionalPartnerId = () =>
  applyDecorators(
    ApiPropertyOptional({ description: "defaults to the token's partner; any other value is refused" }),
    IsOptional(),
    IsString(),
    Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: '$property must be lower-case letters, digits and dashes' }),
    NoPersonalCode(),
  );

function MinLengthTrimmed(min: number) {
  return Matches(new RegExp(`\\S[\\s\\S]{${min - 2},}\\S`), {
    message: `$property must explain why in at least ${min} characters`,
  });
}

export function moneyToCents(text: string): number {
  const [whole, frac] = text.split('.');
  return Number(whole) * 100 + Number(frac);
}
