import { dmy } from '../time/dates.ts';
import { FEE_SHARES_HEADER, type FeeSharesReport, feeSharesLines } from './fee-shares.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const MONEY = '#,##0';

/**
 * The fee-share report as a real spreadsheet: amounts and counts are number
 * cells (formatted with thousands separators, summable in Excel or
 * LibreOffice), names are text cells, so nothing a payer typed is ever read
 * as a formula. A title row, a bold header, the rows, a bold totals row.
 */
export async function feeSharesXlsx(report: FeeSharesReport): Promise<Buffer> {
  // Loaded on the first spreadsheet, not at start: ExcelJS and its zip libraries take ~0.4 s to load.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'E-receipt service';
  const sheet = book.addWorksheet('Phan chia phi', { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.columns = [
    { key: 'department', width: 12 },
    { key: 'name', width: 36 },
    { key: 'kind', width: 9 },
    { key: 'receipts', width: 12, style: { numFmt: '#,##0' } },
    { key: 'collected', width: 16, style: { numFmt: MONEY } },
    { key: 'refunded', width: 16, style: { numFmt: MONEY } },
    { key: 'net', width: 16, style: { numFmt: MONEY } },
    { key: 'center', width: 16, style: { numFmt: MONEY } },
    { key: 'departmentShare', width: 16, style: { numFmt: MONEY } },
  ];
  sheet.getCell('A1').value = `Báo cáo phân chia phí, lệ phí từ ${dmy(report.from)} đến ${dmy(report.to)}${report.department ? ` – ${report.department}` : ''}`;
  sheet.getCell('A1').font = { bold: true, size: 13 };
  const header = sheet.getRow(3);
  header.values = FEE_SHARES_HEADER;
  header.font = { bold: true };
  const lines = feeSharesLines(report, 'Tổng cộng');
  for (const line of lines) sheet.addRow(line);
  sheet.lastRow!.font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
