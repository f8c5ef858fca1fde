import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { formatEuros } from '../finance/money.js';
import type { AppDeps } from '../services.js';
import { csvLine, type CsvValue } from '../shared/csv.js';
import { BadUserInputError } from '../shared/errors.js';
import { authenticatedDownload, type DownloadBuilder, type Download } from './download.js';

/**
 * One list, three files: the same rows as an RFC 4180 CSV for machines (today's format, the
 * default), a CSV French Excel opens as it is (`?format=excel-fr`), and an XLSX workbook (the
 * `.xlsx` routes). Columns are declared once, with their kind, so every format shows the same
 * figures: an amount is integer cents, written in each format as its readers expect.
 *
 * - `rfc4180`: `,` separator, no BOM, CRLF, English snake_case headers; an amount gives two
 *   columns, `<name>_cents` (exact) and `<name>_eur` (two decimals, a dot); ISO dates and
 *   instants; codes as they are (AWARD, PARTLY_RECEIVED).
 * - `excel-fr`: UTF-8 with a BOM, `;` separator, CRLF, French headers; amounts in euros with a
 *   decimal comma and no thousands separator (`-1234,56`), dates `dd/mm/yyyy`, instants
 *   `dd/mm/yyyy hh:mm:ss` (UTC), codes in French words. Quoted when a cell holds `;`, `"` or a line
 *   break; a text starting with = + - @ gets a leading apostrophe (no formula runs).
 * - `xlsx`: one worksheet, French headers in bold on a frozen first row with filters; amounts are
 *   number cells in euros (number format `#,##0.00 "€"`), dates and instants are date cells; texts
 *   are text cells (never formulas).
 */

/** What a column holds, which decides how each format writes it. */
export type CellKind = 'text' | 'money' | 'date' | 'timestamp';

export interface SheetColumn<Row> {
  /** The RFC 4180 header; a money column gives two, `<name>_cents` and `<name>_eur`. */
  name: string;
  /** The French header of excel-fr and XLSX. */
  label: string;
  kind: CellKind;
  /** text: a string; money: cents; date: an ISO day (YYYY-MM-DD); timestamp: an ISO instant in UTC. */
  value: (row: Row) => string | bigint | null | undefined;
  /** The French words for a code (a state, a kind), in excel-fr and XLSX. */
  french?: Readonly<Record<string, string>>;
  /** Width in characters, in XLSX. */
  width?: number;
}

export interface Sheet<Row> {
  /** The file name without extension, e.g. `novae-ledger`. */
  basename: string;
  /** The worksheet's name in XLSX (at most 31 characters, none of : \ / ? * [ ]). */
  title: string;
  columns: readonly SheetColumn<Row>[];
  rows: readonly Row[];
}

export type SheetFormat = 'rfc4180' | 'excel-fr' | 'xlsx';

/** The formats each kind of route answers; the first is its default. */
const FORMATS = { csv: ['rfc4180', 'excel-fr'], xlsx: ['xlsx'] } as const satisfies Record<string, readonly SheetFormat[]>;

export type SheetRoute = keyof typeof FORMATS;

/** The `format` query parameter of a `.csv` or `.xlsx` route; anything else is a BAD_USER_INPUT naming `format`. */
export function sheetFormat(route: SheetRoute, format: unknown): SheetFormat {
  const accepted: readonly SheetFormat[] = FORMATS[route];
  if (format === undefined) return accepted[0];
  if (typeof format === 'string' && (accepted as readonly string[]).includes(format)) return format as SheetFormat;
  const hint =
    route === 'csv'
      ? ' (for an XLSX workbook, ask for the same path ending in .xlsx)'
      : ' (for a CSV, ask for the same path ending in .csv)';
  throw BadUserInputError.field('format', `must be ${accepted.map((f) => `"${f}"`).join(' or ')}${hint}`);
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EURO_FORMAT = '#,##0.00 "€"';
const DATE_FORMAT = 'dd/mm/yyyy';
const TIMESTAMP_FORMAT = 'dd/mm/yyyy hh:mm:ss';

/**
 * An authenticated download of a list (see authenticatedDownload: same bearer token, refusals as
 * JSON with code and reason): `build` authorizes and returns the sheet; the route's kind and the
 * `format` query parameter (checked once the caller is known, before `build`) choose the file.
 */
export function sheetDownload<Row>(orm: MikroORM, deps: AppDeps, route: SheetRoute, build: DownloadBuilder<Sheet<Row>>): RequestHandler {
  return (req, res, next) => {
    const requested: unknown = req.query.format;
    const handler = authenticatedDownload(orm, deps, async (services, params) => {
      const format = sheetFormat(route, requested);
      return renderSheet(await build(services, params), format);
    });
    return handler(req, res, next);
  };
}

/** The file of `sheet` in `format`. */
export async function renderSheet<Row>(sheet: Sheet<Row>, format: SheetFormat): Promise<Download> {
  switch (format) {
    case 'rfc4180':
      return { filename: `${sheet.basename}.csv`, contentType: 'text/csv; charset=utf-8', body: rfc4180(sheet) };
    case 'excel-fr':
      return { filename: `${sheet.basename}.csv`, contentType: 'text/csv; charset=utf-8', body: excelFr(sheet) };
    case 'xlsx':
      // download.ts types a body as a string; express sends a Buffer as it is (bytes, no charset).
      // The lead is asked to widen Download.body to `string | Uint8Array`, which removes this cast.
      return { filename: `${sheet.basename}.xlsx`, contentType: XLSX_TYPE, body: await xlsx(sheet) };
  }
}

function rfc4180<Row>(sheet: Sheet<Row>): string {
  const header = sheet.columns.flatMap((c) => (c.kind === 'money' ? [`${c.name}_cents`, `${c.name}_eur`] : [c.name]));
  const line = (row: Row): CsvValue[] =>
    sheet.columns.flatMap((c) => {
      const value = c.value(row);
      if (c.kind !== 'money') return [value ?? null];
      return value == null ? [null, null] : [String(value), formatEuros(BigInt(value))];
    });
  return csvLine(header) + sheet.rows.map((row) => csvLine(line(row))).join('');
}

/** 2026-12-03 → 03/12/2026; 2026-12-03T14:05:09Z → 03/12/2026 14:05:09. */
function frenchDate(iso: string, withTime: boolean): string {
  const day = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  return withTime ? `${day} ${iso.slice(11, 19)}` : day;
}

/** The text a human format shows for a cell (amounts in euros with a decimal comma). */
function frenchText<Row>(column: SheetColumn<Row>, value: string | bigint): string {
  switch (column.kind) {
    case 'money':
      return formatEuros(BigInt(value)).replace('.', ',');
    case 'date':
      return frenchDate(String(value), false);
    case 'timestamp':
      return frenchDate(String(value), true);
    case 'text':
      return column.french?.[String(value)] ?? String(value);
  }
}

/** A `;`-separated cell: a formula-looking text is defused, and quoted when it holds `;`, `"` or a line break. */
function excelFrCell(text: string, isText: boolean): string {
  const safe = isText && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function excelFr<Row>(sheet: Sheet<Row>): string {
  const line = (cells: string[]) => `${cells.join(';')}\r\n`;
  const header = line(sheet.columns.map((c) => excelFrCell(c.label, true)));
  const rows = sheet.rows.map((row) =>
    line(
      sheet.columns.map((c) => {
        const value = c.value(row);
        return value == null ? '' : excelFrCell(frenchText(c, value), c.kind === 'text');
      }),
    ),
  );
  return `\uFEFF${header}${rows.join('')}`;
}

/**
 * What XML 1.0 cannot hold (an XLSX holding it does not open): control characters other than
 * tab and line breaks, U+FFFE and U+FFFF, lone surrogates (with the `u` flag, a surrogate pair
 * is one character of the last range; a lone half is in none).
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A cell of the workbook: euros as a number, a date as a date (UTC), a text as a text. */
function xlsxValue<Row>(column: SheetColumn<Row>, value: string | bigint | null | undefined): string | number | Date | null {
  if (value == null) return null;
  switch (column.kind) {
    case 'money':
      return Number(BigInt(value)) / 100;
    case 'date':
      return new Date(`${String(value)}T00:00:00Z`);
    case 'timestamp':
      return new Date(String(value));
    case 'text':
      return (column.french?.[String(value)] ?? String(value)).replace(NOT_XML, '\uFFFD');
  }
}

async function xlsx<Row>(sheet: Sheet<Row>): Promise<Buffer> {
  // Loaded on the first workbook asked for: exceljs takes a few hundred milliseconds to load,
  // which the server's start and the CSV downloads need not pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Collegia';
  const worksheet = workbook.addWorksheet(sheet.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((c) => ({
    header: c.label,
    key: c.name,
    width: c.width ?? (c.kind === 'money' ? 16 : c.kind === 'date' ? 12 : c.kind === 'timestamp' ? 20 : 24),
    style:
      c.kind === 'money'
        ? { numFmt: EURO_FORMAT }
        : c.kind === 'date'
          ? { numFmt: DATE_FORMAT }
          : c.kind === 'timestamp'
            ? { numFmt: TIMESTAMP_FORMAT }
            : {},
  }));
  const header = worksheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((c) => xlsxValue(c, c.value(row))));
  worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
