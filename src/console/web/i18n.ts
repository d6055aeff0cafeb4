import { signal } from '@preact/signals';
import { dmy as calendarDmy } from '../../time/calendar.ts';
import { vietnamDate } from '../../time/vietnam.ts';

/** Vietnamese by default; English for whoever prefers it (kept in the browser). */
export type Lang = 'vi' | 'en';
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('lang') : null;
export const lang = signal<Lang>(stored === 'en' ? 'en' : 'vi');
export function setLang(l: Lang) {
  lang.value = l;
  localStorage.setItem('lang', l);
  document.documentElement.lang = l;
}

const words = {
  appName: ['Biên lai điện tử', 'E-receipts'],
  signIn: ['Đăng nhập', 'Sign in'],
  signOut: ['Đăng xuất', 'Sign out'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  currentPassword: ['Mật khẩu hiện tại', 'Current password'],
  newPassword: ['Mật khẩu mới', 'New password'],
  changePassword: ['Đổi mật khẩu', 'Change password'],
  mustChange: ['Quản trị viên đã đặt mật khẩu này: hãy đổi mật khẩu trước khi làm việc.', 'The admin set this password: change it before you start.'],
  language: ['English', 'Tiếng Việt'],
  // Roles and screens
  admin: ['Quản trị', 'Admin'],
  cashier: ['Thu ngân', 'Cashier'],
  accountant: ['Kế toán', 'Accountant'],
  auditor: ['Kiểm tra', 'Auditor'],
  counter: ['Quầy thu', 'Counter'],
  receipts: ['Biên lai', 'Receipts'],
  shares: ['Phân chia phí', 'Fee shares'],
  approvals: ['Chờ duyệt', 'Approvals'],
  periods: ['Khóa sổ', 'Close month'],
  transmissions: ['Gửi cơ quan thuế', 'Tax authority'],
  verify: ['Kiểm tra chữ ký', 'Verify files'],
  reverify: ['Kiểm tra kỳ', 'Re-verify period'],
  auditTrail: ['Nhật ký', 'Audit trail'],
  center: ['Trung tâm', 'Center'],
  departments: ['Đơn vị', 'Departments'],
  fees: ['Danh mục phí', 'Fees'],
  series: ['Ký hiệu', 'Series'],
  shareRates: ['Tỷ lệ phân chia', 'Share rates'],
  staff: ['Nhân viên', 'Staff'],
  // Counter
  department: ['Đơn vị thu', 'Department'],
  searchFees: ['Tìm phí, lệ phí…', 'Search fees…'],
  add: ['Thêm', 'Add'],
  remove: ['Bỏ', 'Remove'],
  quantity: ['Số lượng', 'Quantity'],
  amount: ['Số tiền', 'Amount'],
  payerName: ['Họ tên người nộp', 'Payer’s name'],
  address: ['Địa chỉ', 'Address'],
  taxCode: ['Mã số thuế', 'Tax code'],
  idNumber: ['Số CCCD', 'Citizen ID'],
  email: ['Thư điện tử', 'E-mail'],
  dossierCode: ['Mã hồ sơ', 'Dossier code'],
  paymentMethod: ['Hình thức thanh toán', 'Payment method'],
  cash: ['Tiền mặt', 'Cash'],
  transfer: ['Chuyển khoản', 'Transfer'],
  card: ['Thẻ', 'Card'],
  qr: ['Mã QR', 'QR code'],
  total: ['Tổng cộng', 'Total'],
  inWords: ['Bằng chữ', 'In words'],
  issue: ['Lập biên lai', 'Issue receipt'],
  issued: ['Đã lập biên lai', 'Receipt issued'],
  print: ['In', 'Print'],
  noItems: ['Chưa chọn khoản thu nào', 'No fee chosen yet'],
  newReceipt: ['Biên lai mới', 'New receipt'],
  // Receipts
  find: ['Tìm', 'Find'],
  search: ['Số, người nộp hoặc mã hồ sơ', 'Number, payer or dossier code'],
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  number: ['Số', 'Number'],
  date: ['Ngày', 'Date'],
  payer: ['Người nộp', 'Payer'],
  status: ['Trạng thái', 'Status'],
  refund: ['Hoàn tiền', 'Refund'],
  replacement: ['Thay thế', 'Replace'],
  errorNotice: ['Thông báo sai sót', 'Error notice'],
  reason: ['Lý do', 'Reason'],
  field: ['Nội dung sai', 'Field'],
  correctValue: ['Nội dung đúng', 'Correct value'],
  send: ['Gửi yêu cầu', 'Send request'],
  requested: ['Đã gửi yêu cầu, chờ kế toán duyệt', 'Requested; waiting for an accountant'],
  cancel: ['Hủy', 'Cancel'],
  more: ['Xem thêm', 'More'],
  none: ['Không có', 'None'],
  // Accountant
  month: ['Tháng', 'Month'],
  kind: ['Loại', 'Kind'],
  fee: ['Phí', 'Fee'],
  charge: ['Lệ phí', 'Charge'],
  collected: ['Đã thu', 'Collected'],
  refunded: ['Đã hoàn', 'Refunded'],
  net: ['Còn lại', 'Net'],
  centerShare: ['Phần trung tâm', 'Center’s share'],
  departmentShare: ['Phần đơn vị', 'Department’s share'],
  totals: ['Tổng', 'Totals'],
  dailyTrend: ['Diễn biến theo ngày', 'Daily trend'],
  entries: ['Bút toán', 'Ledger entries'],
  downloadCsv: ['Tải CSV', 'Download CSV'],
  downloadXlsx: ['Tải Excel (XLSX)', 'Download Excel (XLSX)'],
  approve: ['Duyệt', 'Approve'],
  reject: ['Từ chối', 'Reject'],
  requestedBy: ['Người yêu cầu', 'Requested by'],
  closeMonth: ['Khóa sổ tháng', 'Close the month'],
  closeConfirm: ['Các số liệu sau sẽ được khóa vĩnh viễn. Không thể mở lại.', 'These figures will be frozen for good. A month cannot be reopened.'],
  confirm: ['Xác nhận', 'Confirm'],
  closed: ['Đã khóa', 'Closed'],
  open: ['Đang mở', 'Open'],
  // Auditor
  dropFiles: ['Thả tệp XML vào đây, hoặc bấm để chọn', 'Drop XML files here, or click to choose'],
  valid: ['Hợp lệ', 'Valid'],
  invalid: ['Không hợp lệ', 'Invalid'],
  failedCheck: ['Kiểm tra không đạt', 'Failed check'],
  run: ['Chạy', 'Run'],
  chain: ['Chuỗi nhật ký', 'Audit chain'],
  intact: ['Nguyên vẹn', 'Intact'],
  broken: ['Bị phá vỡ', 'Broken'],
  action: ['Hành động', 'Action'],
  actor: ['Người thực hiện', 'Actor'],
  // Admin
  save: ['Lưu', 'Save'],
  saved: ['Đã lưu', 'Saved'],
  name: ['Tên', 'Name'],
  code: ['Mã', 'Code'],
  active: ['Đang dùng', 'Active'],
  role: ['Vai trò', 'Role'],
  resetPassword: ['Đặt lại mật khẩu', 'Reset password'],
  revoke: ['Thu hồi', 'Revoke'],
  disablePerson: ['Khóa nhân viên', 'Disable the person'],
  newLogin: ['Tạo tài khoản', 'New login'],
  newKey: ['Tạo khóa API', 'New API key'],
  shownOnce: ['Chỉ hiện một lần – hãy ghi lại:', 'Shown once – write it down:'],
  rate: ['Tỷ lệ (%)', 'Rate (%)'],
  effectiveFrom: ['Áp dụng từ', 'From'],
  year: ['Năm', 'Year'],
  rangeFrom: ['Từ số', 'First number'],
  rangeTo: ['Đến số', 'Last number'],
  apiKeys: ['Khóa API', 'API keys'],
  logins: ['Tài khoản đăng nhập', 'Console logins'],
  loading: ['Đang tải…', 'Loading…'],
  wholeNumber: ['phải là số nguyên, ví dụ 20000 hoặc 20.000', 'must be a whole number, e.g. 20000 or 20.000'],
  vouchers: ['Hoàn tiền đã yêu cầu', 'Refunds asked for'],
  voucher: ['Phiếu hoàn (XML)', 'Voucher (XML)'],
  pending: ['Chờ duyệt', 'Pending'],
  approved: ['Đã duyệt', 'Approved'],
  rejected: ['Từ chối', 'Rejected'],
  replaced: ['Đã thay thế', 'Replaced'],
  issuedStatus: ['Đã lập', 'Issued'],
  weeks: ['tuần', 'weeks'],
  vietnamTime: ['giờ Việt Nam', 'Vietnam time'],
  notEnded: ['Tháng chưa kết thúc: chỉ khóa sổ được tháng đã qua.', 'The month has not ended: only a past month can be closed.'],
  error: ['Lỗi', 'Error'],
} satisfies Record<string, [string, string]>;

export type Word = keyof typeof words;
/** The word in the chosen language. Reading `lang.value` here makes every component that translates re-render on a switch. */
export const t = (w: Word): string => words[w][lang.value === 'vi' ? 0 : 1];

/**
 * A whole number as a Vietnamese types it: "20000", "20.000" or "20 000"
 * (dots or spaces between groups of three); NaN for anything else ("20,5",
 * "2.00"), which the form reports rather than guess.
 */
export function parseWhole(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (/^\d{1,3}([.\s]\d{3})+$/.test(trimmed)) return Number(trimmed.replace(/[.\s]/g, ''));
  return Number.NaN;
}

/** VND as the counter writes it: 1.234.567 đ. */
export const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;
/** A Vietnamese date (d/m/y) of a calendar day, or of an instant on Vietnam's calendar. */
export const dmy = (iso: string) => calendarDmy(iso.length > 10 ? vietnamDate(new Date(iso)) : iso);
