import ExcelJS from 'exceljs';
import type { TestApp } from '../support/test-app.js';
import { parseCsv } from '../support/csv.js';

export { parseCsv };

/**
 * Reading the accountant's downloads back as an accountant's tools would: a CSV parser (RFC 4180
 * quoting, any separator), the XLSX through exceljs, and the ledger's sums per subsidy computed
 * from the entries themselves (kind, amount, the entry a reversal reverses).
 */

/** GET a download with a bearer token. */
export function download(app: TestApp, path: string, token?: string): Promise<Response> {
  return fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** The rows of a CSV as records keyed by header. */
export function csvRecords(text: string, separator: ',' | ';'): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, separator);
  for (const row of rows) expect(row).toHaveLength(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

/** "-1234,56" (excel-fr) → -123456n cents; refuses anything else (a dot, a thousands separator). */
export function centsFromFrench(text: string): bigint {
  const match = /^(-?)(\d+),(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a French amount: ${JSON.stringify(text)}`);
  const cents = BigInt(match[2]) * 100n + BigInt(match[3]);
  return match[1] ? -cents : cents;
}

/** A workbook read back with exceljs: its first worksheet. */
export async function readWorkbook(response: Response): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0];
}

/** The header labels of a worksheet's first row, and its data rows as cells keyed by label. */
export function sheetRecords(sheet: ExcelJS.Worksheet): { header: string[]; rows: Map<string, ExcelJS.Cell>[] } {
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, column) => {
    header[column - 1] = cell.text;
  });
  const rows: Map<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    rows.push(new Map(header.map((label, i) => [label, row.getCell(i + 1)])));
  }
  return { header, rows };
}

/** Euros of a number cell → cents (the cell must be a number: a text amount is refused). */
export function centsOfCell(cell: ExcelJS.Cell | undefined): bigint {
  if (!cell || cell.value === null || cell.value === undefined) return 0n;
  expect(cell.type).toBe(ExcelJS.ValueType.Number);
  return BigInt(Math.round((cell.value as number) * 100));
}

export interface LedgerLine {
  id: string;
  subsidyId: string;
  kind: string;
  amount: bigint;
  reversesId: string | null;
}

/**
 * Per subsidy, what its ledger lines say was awarded and received, computed from the lines
 * themselves: an AWARD adds to awarded, a RECEIPT to received, a CLAWBACK (negative) lowers both,
 * a REVERSAL counts as the kind of the line it reverses (which must be in the same ledger).
 */
export function ledgerSums(lines: readonly LedgerLine[]): Map<string, { awarded: bigint; received: bigint }> {
  const byId = new Map(lines.map((line) => [line.id, line]));
  const sums = new Map<string, { awarded: bigint; received: bigint }>();
  for (const line of lines) {
    let kind = line.kind;
    if (kind === 'REVERSAL') {
      const reversed = byId.get(line.reversesId!);
      if (!reversed) throw new Error(`the ledger does not hold the entry ${line.reversesId} that ${line.id} reverses`);
      kind = reversed.kind;
    }
    const sum = sums.get(line.subsidyId) ?? { awarded: 0n, received: 0n };
    if (kind === 'AWARD' || kind === 'CLAWBACK') sum.awarded += line.amount;
    if (kind === 'RECEIPT' || kind === 'CLAWBACK') sum.received += line.amount;
    sums.set(line.subsidyId, sum);
  }
  return sums;
}
