import { esc } from '../text/html.ts';
import { dmy } from '../time/dates.ts';
import type { Center } from '../reference/schemas.ts';
import { firstIssuingDay, inForce, lastIssuingDay, type Delegation } from './registration.ts';

const number = (n: number) => String(n).padStart(7, '0');

/**
 * The posting sheet (niêm yết) of the delegations at the counter (Decree 254
 * Art. 25: the parties post the delegation publicly where the fees are
 * collected): which department's receipts the center issues, on which
 * template and series, numbers from … to …, for which term; and the
 * delegations ended early, so a payer can tell a receipt issued after the end
 * is not valid. An A4 page for the browser's print dialog.
 */
export function postingSheetHtml(center: Center, delegations: Delegation[], date: string): string {
  const current = delegations.filter((d) => inForce(d, date));
  const ended = delegations.filter((d) => d.terminatedOn && d.terminatedOn <= date && d.to >= date);
  const rows = current
    .map(
      (d, i) => `<tr>
  <td class="n">${i + 1}</td>
  <td>${esc(d.department.name)}<br><small>MST ${esc(d.department.taxCode)}</small></td>
  <td>${esc(d.template)}</td><td>${esc(d.series)}</td>
  <td class="n">${number(d.rangeFrom)} – ${number(d.rangeTo)}</td>
  <td>${dmy(firstIssuingDay(d))} – ${dmy(lastIssuingDay(d))}</td>
  <td>${dmy(d.notifiedOn)}</td>
</tr>`,
    )
    .join('\n');
  const endedRows = ended
    .map(
      (d, i) => `<tr>
  <td class="n">${i + 1}</td>
  <td>${esc(d.department.name)}<br><small>MST ${esc(d.department.taxCode)}</small></td>
  <td>${esc(d.template)}</td><td>${esc(d.series)}</td>
  <td>${dmy(d.terminatedOn!)}</td>
</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Niêm yết ủy nhiệm lập biên lai điện tử – ${esc(center.name)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 190mm; padding: 6mm; }
  h1 { font-size: 14pt; text-align: center; margin: 4mm 0 1mm; }
  .sub { text-align: center; margin: 0 0 4mm; }
  h2 { font-size: 11pt; margin: 5mm 0 1mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #999; padding: 1.2mm 1.5mm; vertical-align: top; }
  th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
  .wrap { overflow-x: auto; }
  small { color: #444; }
</style>
</head>
<body>
<p><strong>${esc(center.name)}</strong><br>${esc(center.address)}<br>MST ${esc(center.taxCode)}</p>
<h1>THÔNG BÁO ỦY NHIỆM LẬP BIÊN LAI ĐIỆN TỬ</h1>
<p class="sub">(Niêm yết tại nơi thu phí, lệ phí theo Điều 25 Nghị định 254/2026/NĐ-CP) – ngày ${dmy(date)}</p>
<p>${esc(center.name)} được các đơn vị dưới đây ủy nhiệm lập biên lai điện tử thu phí, lệ phí không in sẵn mệnh giá, theo mẫu số, ký hiệu, dãy số và thời hạn sau:</p>
<div class="wrap"><table data-table="in-force">
<thead><tr><th>STT</th><th>Đơn vị ủy nhiệm</th><th>Mẫu số</th><th>Ký hiệu</th><th>Từ số – đến số</th><th>Thời hạn lập biên lai</th><th>Ngày thông báo cơ quan thuế</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Không có ủy nhiệm đang có hiệu lực.</td></tr>'}
</tbody>
</table></div>
${
  ended.length > 0
    ? `<h2>Ủy nhiệm đã chấm dứt trước thời hạn</h2>
<p>Biên lai của các ký hiệu dưới đây lập từ ngày chấm dứt trở đi không có giá trị.</p>
<div class="wrap"><table data-table="terminated">
<thead><tr><th>STT</th><th>Đơn vị ủy nhiệm</th><th>Mẫu số</th><th>Ký hiệu</th><th>Chấm dứt từ ngày</th></tr></thead>
<tbody>
${endedRows}
</tbody>
</table></div>`
    : ''
}
</body>
</html>`;
}
