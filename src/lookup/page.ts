import QRCode from 'qrcode';
import type { Receipt } from '../receipts/schemas.ts';
import type { Center } from '../reference/schemas.ts';
import { RECEIPT_NAME } from '../receipts/xml.ts';
import { noticeFields, type NoticeField } from '../corrections/schemas.ts';
import { vietnamDate, vietnamLocalTime } from '../time/vietnam.ts';
import { dmy } from '../time/dates.ts';
import { esc } from '../text/html.ts';

const vnd = (n: number) => n.toLocaleString('vi-VN');
const paymentText = { cash: 'Tiền mặt', transfer: 'Chuyển khoản', card: 'Thẻ', qr: 'Mã QR' } as const;
const kindText = { fee: 'Phí', charge: 'Lệ phí' } as const;

export interface PageData {
  receipt: Receipt;
  center: Center;
  lookupUrl: string;
  xmlUrl: string;
  /** public: the citizen's page (identity numbers masked); counter: the print page behind a key. */
  audience: 'public' | 'counter';
  /** The XML download asks for the last four digits of the payer's identity number. */
  xmlNeedsPayerId: boolean;
  signature: { valid: boolean; signer: string | null; signingTime: string | null; failed: string[] };
  notices: Array<{ field: NoticeField; correctValue: string; issuedAt: string }>;
  replacedByUrl: string | null;
}

/**
 * The receipt as a printable A5 page in Vietnamese, with every field of
 * Decree 254/2026 Art. 23.2, the signature's status, a QR code of its lookup
 * address and the signed XML to download. Self-contained: no scripts, no
 * external resources (the Content-Security-Policy forbids them).
 */
export async function renderReceiptPage(d: PageData): Promise<string> {
  const r = d.receipt;
  const qr = await QRCode.toString(d.lookupUrl, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const timeVn = (iso: string) => {
    const t = vietnamLocalTime(new Date(iso));
    return `${t.slice(11, 16)} ngày ${dmy(t.slice(0, 10))}`;
  };
  const signature = d.signature.valid
    ? `<p class="sig ok" data-field="signature">Chữ ký số hợp lệ — ký bởi ${esc(d.signature.signer)} lúc ${esc(timeVn(d.signature.signingTime!))}</p>`
    : `<p class="sig bad" data-field="signature">Chữ ký số KHÔNG hợp lệ (${esc(d.signature.failed.join(', '))})</p>`;
  const rows = r.items
    .map(
      (i) => `<tr><td>${i.line}</td><td>${esc(i.name)}</td><td>${kindText[i.kind]}</td><td class="n">${i.quantity}</td><td class="n">${vnd(i.unitPrice)}</td><td class="n">${vnd(i.amount)}</td></tr>`,
    )
    .join('');
  const replaced =
    r.status === 'replaced' && r.replacedBy
      ? `<p class="banner">Biên lai này đã bị thay thế bởi biên lai ký hiệu ${esc(r.replacedBy.series)} số ${r.replacedBy.number} ngày ${dmy(r.replacedBy.issueDate)}${d.replacedByUrl ? ` — <a href="${esc(d.replacedByUrl)}">xem biên lai thay thế</a>` : ''}.</p>`
      : '';
  const replaces = r.replaces ? `<p>Thay thế cho biên lai ký hiệu ${esc(r.replaces.series)} số ${r.replaces.number} ngày ${dmy(r.replaces.issueDate)}. Lý do: ${esc(r.replacementReason)}</p>` : '';
  // On the public page a payer's identifiers are masked whole: their last digits are what the XML download asks for.
  const shown = (id: string) => (d.audience === 'counter' ? esc(id) : '•'.repeat(id.length));
  const notices = d.notices.length
    ? `<section class="notices"><h2>Thông báo sai sót (mẫu 04/SS-CTĐT)</h2><ul>${d.notices
        .map(
          (n) =>
            `<li>${noticeFields[n.field]} đúng là: <strong>${n.field === 'payerIdNumber' ? shown(n.correctValue) : esc(n.correctValue)}</strong> (ngày ${dmy(vietnamDate(new Date(n.issuedAt)))})</li>`,
        )
        .join('')}</ul></section>`
    : '';
  const download = d.xmlNeedsPayerId
    ? `<form class="noprint" method="get" action="${esc(d.xmlUrl)}" data-field="xml-form">
      <label for="id4">Tải biên lai điện tử (XML đã ký số): nhập 4 số cuối số định danh (hoặc mã số thuế) của người nộp</label>
      <input id="id4" name="id4" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" required autocomplete="off">
      <button type="submit">Tải XML</button>
    </form>`
    : `<a class="noprint" href="${esc(d.xmlUrl)}" download>Tải biên lai điện tử (XML đã ký số)</a>`;
  const refunded = r.refunds.approved > 0 ? `<p>Đã hoàn trả: ${vnd(r.refunds.approved)} đồng.</p>` : '';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(RECEIPT_NAME)} ${esc(r.series)} số ${r.number}</title>
<style>
  @page { size: A5; margin: 8mm; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 148mm; padding: 6mm; }
  header { display: flex; justify-content: space-between; gap: 4mm; align-items: flex-start; }
  h1 { font-size: 13pt; text-align: center; margin: 2mm 0 1mm; letter-spacing: .02em; }
  h2 { font-size: 10pt; margin: 3mm 0 1mm; }
  .meta { text-align: right; white-space: nowrap; }
  .qr svg { width: 26mm; height: 26mm; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .6mm 3mm; margin: 2mm 0; }
  dt { color: #444; } dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; margin: 2mm 0; }
  th, td { border: 1px solid #999; padding: 1mm 1.5mm; vertical-align: top; }
  th { background: #eee; font-weight: 600; } td.n { text-align: right; white-space: nowrap; }
  .total td { font-weight: 700; }
  .sig { padding: 1.5mm 2mm; border-radius: 1mm; } .ok { background: #e6f4ea; } .bad { background: #fde7e9; font-weight: 700; }
  .banner { background: #fff4ce; padding: 2mm; font-weight: 700; }
  .foot { display: flex; justify-content: space-between; gap: 4mm; font-size: 8.5pt; color: #333; }
  a { color: #0b57d0; }
  .lookup-url { overflow-wrap: anywhere; }
  /* A phone (390 px): nothing wider than the screen, the QR code whole and large enough to scan. */
  @media screen and (max-width: 520px) {
    body { padding: 3mm; font-size: 10.5pt; }
    header, .foot { flex-direction: column; }
    .meta { text-align: left; white-space: normal; }
    dl { grid-template-columns: 1fr; } dt { margin-top: 1mm; }
    table { font-size: 9pt; } th, td { padding: .8mm 1mm; }
    td.n { white-space: nowrap; }
    .qr { align-self: center; } .qr svg { width: 44mm; height: 44mm; max-width: 70vw; max-height: 70vw; }
    input, button { font-size: 16px; }
  }
  @media print { .noprint { display: none; } body { padding: 0; } }
</style>
</head>
<body>
<header>
  <div>
    <strong data-field="issuer">${esc(d.center.name)}</strong><br>
    <span>Mã số thuế: ${esc(d.center.taxCode)}</span><br>
    <span>${esc(d.center.address)}</span>
  </div>
  <div class="meta">
    <div>Mẫu số: <strong data-field="template">${esc(r.template)}</strong></div>
    <div>Ký hiệu: <strong data-field="series">${esc(r.series)}</strong></div>
    <div>Số: <strong data-field="number">${r.number}</strong></div>
  </div>
</header>
<h1 data-field="name">${esc(RECEIPT_NAME.toUpperCase())}</h1>
<p style="text-align:center">Ngày <span data-field="date">${dmy(r.issueDate)}</span></p>
${replaced}
<dl>
  <dt>Tổ chức thu phí</dt><dd data-field="collector">${esc(r.department.name)}</dd>
  <dt>Mã số thuế</dt><dd data-field="collector-tax-code">${esc(r.department.taxCode)}</dd>
  <dt>Đơn vị nhận ủy nhiệm</dt><dd>${esc(d.center.name)}</dd>
  <dt>Người nộp</dt><dd data-field="payer">${esc(r.payer.name)}</dd>
  ${r.payer.address ? `<dt>Địa chỉ</dt><dd>${esc(r.payer.address)}</dd>` : ''}
  ${r.payer.taxCode ? `<dt>Mã số thuế</dt><dd data-field="payer-tax-code">${shown(r.payer.taxCode)}</dd>` : ''}
  ${r.payer.idNumber ? `<dt>Số định danh</dt><dd data-field="payer-id">${shown(r.payer.idNumber)}</dd>` : ''}
  ${r.dossierCode ? `<dt>Mã hồ sơ</dt><dd>${esc(r.dossierCode)}</dd>` : ''}
  <dt>Hình thức thanh toán</dt><dd>${paymentText[r.paymentMethod]}</dd>
</dl>
<table>
  <thead><tr><th>STT</th><th>Tên khoản thu</th><th>Loại</th><th>SL</th><th>Đơn giá</th><th>Thành tiền</th></tr></thead>
  <tbody data-field="items">${rows}</tbody>
  <tfoot><tr class="total"><td colspan="5">Tổng cộng (VND)</td><td class="n" data-field="total">${vnd(r.total)}</td></tr></tfoot>
</table>
<p>Số tiền bằng chữ: <strong data-field="total-in-words">${esc(r.totalInWords)}</strong></p>
${replaces}
${refunded}
${notices}
${signature}
<div class="foot">
  <div>
    Mã tra cứu: <strong data-field="lookup-code">${esc(r.lookupCode)}</strong><br>
    Tra cứu tại: <span class="lookup-url">${esc(d.lookupUrl)}</span><br>
    ${download}
  </div>
  <div class="qr" data-field="qr">${qr}</div>
</div>
</body>
</html>`;
}

/** A short page for a person at a browser: a title and one message. */
export function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em"><h1>${esc(title)}</h1><p>${esc(message)}</p></body></html>`;
}

/** The form a citizen types a lookup code into (the code printed on the receipt). */
export function lookupFormPage(message = ''): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tra cứu biên lai điện tử</title>
<style>body { font-family: "Noto Sans", Arial, sans-serif; max-width: 32em; margin: 2em auto; padding: 0 1em; color: #111 }
label { display: block; font-weight: 600; margin: 1em 0 .3em } input { font-size: 18px; padding: .4em; width: 100%; max-width: 14em; letter-spacing: .08em; text-transform: uppercase }
button { font-size: 16px; padding: .5em 1.2em; margin-top: .8em; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px } .problem { color: #b91c1c; font-weight: 600 }</style></head>
<body><main><h1>Tra cứu biên lai điện tử</h1>
<form method="get" action="/public/receipts">
<label for="code">Mã tra cứu (12 ký tự in trên biên lai)</label>
<input id="code" name="code" required maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false"${message ? ' aria-describedby="problem" aria-invalid="true"' : ''}>
${message ? `<p class="problem" id="problem" role="alert">${esc(message)}</p>` : ''}
<button type="submit">Tra cứu</button>
</form></main></body></html>`;
}

export function notFoundPage(): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Không tìm thấy biên lai</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto"><h1>Không tìm thấy biên lai</h1>
<p>Mã tra cứu không đúng. Vui lòng kiểm tra lại mã in trên biên lai (12 ký tự, không có chữ O, I và số 0, 1).</p></body></html>`;
}
