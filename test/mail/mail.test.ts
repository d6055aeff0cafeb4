import t from 'tap';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sendDueMail, smtpTransport, MAIL_ATTEMPTS } from '../../src/mail/sender.ts';
import { backoffMs } from '../../src/tax/sender.ts';
import { auth, correct, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { TestClock, dayOfThisYear } from '../helpers/clock.ts';

/** A real SMTP server on a free port: what arrives is parsed; `refuse` answers 451 (try later) or 550 (never). */
async function mailServer() {
  const received: ParsedMail[] = [];
  const state = { refuse: null as null | 451 | 550 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
      if (state.refuse) {
        callback(Object.assign(new Error(state.refuse === 451 ? 'mailbox busy, try later' : 'no such mailbox'), { responseCode: state.refuse }));
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}?requireTLS=false`, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

t.test('a receipt and its error notice reach the payer by mail, with the signed XML and the printable page', async (t) => {
  const smtp = await mailServer();
  const clock = new TestClock(dayOfThisYear('10-05'));
  const ctx = await testApp('postgres', { clock: clock.now });
  t.teardown(async () => {
    await ctx.close();
    await smtp.close();
  });
  const deps = {
    transport: smtpTransport(smtp.url),
    from: 'Trung tâm PVHCC <bienlai@example.vn>',
    baseUrl: 'https://bienlai.example.vn',
    verifier: ctx.app.verifier,
    trustDir: ctx.app.config.TRUST_DIR,
    now: clock.now,
  };

  const bad = await issue(ctx, { ...demoReceipt, email: 'not an address' });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().errors[0].field, 'body.email');
  const receipt = (await issue(ctx, { ...demoReceipt, email: 'an.nguyen@example.vn' })).json();
  t.equal(receipt.number, 1, 'the refused request used no number');
  const withoutMail = (await issue(ctx)).json();
  t.equal(withoutMail.number, 2);

  t.same(await sendDueMail(ctx.database.db, deps), { sent: 1, failed: 0 }, 'only the payer who gave an address');
  const [mail] = smtp.received;
  t.equal(mail!.to && 'text' in mail!.to ? mail!.to.text : '', 'an.nguyen@example.vn');
  t.equal(mail!.subject, `Biên lai điện tử ${receipt.series} số 1 – Sở Tư pháp tỉnh Demo`);
  t.match(mail!.text, 'số tiền 400.000 đồng (Bốn trăm nghìn đồng)');
  t.match(mail!.text, `https://bienlai.example.vn/public/receipts/${receipt.lookupCode}`);
  const stored = (await ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  const [xml, page] = mail!.attachments;
  t.equal(xml!.filename, `bien-lai-EBL01-${receipt.series}-1.xml`);
  t.ok(xml!.content.equals(stored), 'the signed XML, byte for byte as stored');
  t.equal(page!.filename, `bien-lai-EBL01-${receipt.series}-1.html`);
  t.match(page!.content.toString(), 'Chữ ký số hợp lệ');
  t.notMatch(page!.content.toString(), '001090012345', 'the page is the public one: the identity number is masked');
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 0, failed: 0 }, 'sent once');

  // An error notice on it follows to the same address.
  await correct(ctx, receipt.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
  await correct(ctx, withoutMail.id, 'error-notices', { field: 'payerName', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu' });
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 1, failed: 0 }, 'a notice on a receipt nobody asked to mail is not mailed');
  const notice = smtp.received[1]!;
  t.equal(notice.subject, `Thông báo sai sót biên lai ${receipt.series} số 1 – Sở Tư pháp tỉnh Demo`);
  t.match(notice.attachments[0]!.content.toString(), '<MSo>04/SS-CTĐT</MSo>');
  t.match(notice.attachments[1]!.content.toString(), 'Nguyễn Văn Ân', 'the page shows the correction');

  // A server that says "later": retried after the back-off; one that says "never": given up with the reason.
  smtp.state.refuse = 451;
  await issue(ctx, { ...demoReceipt, email: 'busy@example.vn' });
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 0, failed: 1 });
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 0, failed: 0 }, 'waits its back-off');
  smtp.state.refuse = null;
  clock.advance(backoffMs(1));
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 1, failed: 0 });
  smtp.state.refuse = 550;
  await issue(ctx, { ...demoReceipt, email: 'nobody@example.vn' });
  t.same(await sendDueMail(ctx.database.db, deps), { sent: 0, failed: 1 });
  const rows = (
    await ctx.database.db.query<{ address: string; status: string; attempts: number; last_error: string | null }>('SELECT address, status, attempts, last_error FROM mail_outbox ORDER BY seq')
  ).rows;
  t.same(
    rows.map((r) => [r.address, r.status, r.attempts]),
    [
      ['an.nguyen@example.vn', 'sent', 1],
      ['an.nguyen@example.vn', 'sent', 1],
      ['busy@example.vn', 'sent', 2],
      ['nobody@example.vn', 'failed', 1],
    ],
  );
  t.match(rows[3]!.last_error, /no such mailbox/);

  // smtp:// without an opt-out must upgrade to TLS: a server that offers no STARTTLS gets nothing.
  smtp.state.refuse = null;
  await issue(ctx, { ...demoReceipt, email: 'tls@example.vn' });
  const strict = { ...deps, transport: smtpTransport(smtp.url.replace('?requireTLS=false', '')) };
  t.same(await sendDueMail(ctx.database.db, strict), { sent: 0, failed: 1 });
  t.equal(smtp.received.length, 3, 'nothing reached the server in clear');
  const tls = (await ctx.database.db.query<{ last_error: string }>(`SELECT last_error FROM mail_outbox WHERE address = 'tls@example.vn'`)).rows[0]!;
  t.match(tls.last_error, /STARTTLS|TLS/i);
  t.equal(MAIL_ATTEMPTS, 8);
  await t.rejects(ctx.database.db.query(`UPDATE mail_outbox SET address = 'x@example.vn'`), /refused/, 'the queue keeps where mail went');
});

t.test('mail settings are checked at start', async (t) => {
  const { loadConfig } = await import('../../src/config/config.ts');
  t.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.vn' }), /SMTP_URL="http:\/\/mail\.example\.vn": must be an smtp:\/\/ or smtps:\/\/ URL/);
  t.equal(loadConfig({}).MAIL_INTERVAL_SECONDS, 30);
  t.throws(() => loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.vn:465' }), /PUBLIC_URL: is required when SMTP_URL is set/);
  t.equal(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.vn:465', PUBLIC_URL: 'https://bienlai.example.vn' }).SMTP_URL, 'smtps://u:p@mail.example.vn:465');
});
