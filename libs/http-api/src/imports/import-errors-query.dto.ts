import { IsDialectParameter } from '../http/position-query';

/** `GET …/imports/:id/errors.csv`: the CSV dialect, as every other CSV download takes it. */
export class ImportErrorsCsvQueryDto {
  @IsDialectParameter('') dialect?: string;
}
