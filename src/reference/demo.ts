import type { Db } from '../db/db.ts';
import { appendEvent } from '../audit/chain.ts';
import { vietnamYear } from '../time/vietnam.ts';
import { countDepartmentsAndApiKeys, insertDepartment, insertFee, insertRate, insertSeries, getCenter, putCenter } from './repository.ts';
import { TEMPLATE } from './schemas.ts';
import { DEFAULT_RATE_BP } from './rates.ts';

/** A demo center: four departments, each with a fee and a charge, 15% share rates and a series of the current year. */
const demo = {
  center: {
    name: 'Trung tâm Phục vụ hành chính công tỉnh Demo',
    taxCode: '0100000001',
    address: '01 Đường Trần Phú, Phường Trung tâm, Tỉnh Demo',
    taxOffice: { code: '101', name: 'Thuế tỉnh Demo' },
  },
  departments: [
    {
      code: 'STP',
      name: 'Sở Tư pháp tỉnh Demo',
      taxCode: '0100000011',
      letters: 'TP',
      fees: [
        { code: 'STP-LLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', kind: 'fee', amount: 200_000 },
        { code: 'STP-CCHN', name: 'Lệ phí cấp chứng chỉ hành nghề đấu giá', kind: 'charge', amount: 100_000 },
      ],
    },
    {
      code: 'SXD',
      name: 'Sở Xây dựng tỉnh Demo',
      taxCode: '0100000012',
      letters: 'XD',
      fees: [
        { code: 'SXD-TDTK', name: 'Phí thẩm định thiết kế xây dựng', kind: 'fee', amount: 500_000 },
        { code: 'SXD-GPXD', name: 'Lệ phí cấp giấy phép xây dựng', kind: 'charge', amount: 150_000 },
      ],
    },
    {
      code: 'SNNMT',
      name: 'Sở Nông nghiệp và Môi trường tỉnh Demo',
      taxCode: '0100000013',
      letters: 'NM',
      fees: [
        { code: 'SNNMT-TDHS', name: 'Phí thẩm định hồ sơ cấp giấy chứng nhận quyền sử dụng đất', kind: 'fee', amount: 1_250_000 },
        { code: 'SNNMT-DKBD', name: 'Lệ phí đăng ký biến động đất đai', kind: 'charge', amount: 30_000 },
      ],
    },
    {
      code: 'SCT',
      name: 'Sở Công Thương tỉnh Demo',
      taxCode: '0100000014',
      letters: 'CT',
      fees: [
        { code: 'SCT-TDKD', name: 'Phí thẩm định điều kiện kinh doanh', kind: 'fee', amount: 1_200_000 },
        { code: 'SCT-GPKD', name: 'Lệ phí cấp giấy phép kinh doanh', kind: 'charge', amount: 200_000 },
      ],
    },
  ],
} as const;

/** Adds whatever of the demo configuration is missing; never changes what exists. */
export async function seedDemo(db: Db, now = new Date()): Promise<void> {
  const year = vietnamYear(now);
  await db.transaction(async (tx) => {
    const added: string[] = [];
    if (!(await getCenter(tx))) {
      await putCenter(tx, demo.center);
      added.push('center');
    }
    for (const d of demo.departments) {
      if (await insertDepartment(tx, { code: d.code, name: d.name, taxCode: d.taxCode, address: null })) added.push(d.code);
      for (const f of d.fees) await insertFee(tx, { ...f, department: d.code, active: true });
      // 15% of both kinds, as in the province the service was modelled on.
      for (const kind of ['fee', 'charge'] as const) {
        await insertRate(tx, { department: d.code, kind, rateBp: DEFAULT_RATE_BP, effectiveFrom: `${year}-01-01` });
      }
      await insertSeries(tx, {
        template: TEMPLATE,
        series: `${String(year).slice(2)}T${d.letters}`,
        year,
        department: d.code,
        rangeFrom: 1,
        rangeTo: 100_000,
      });
    }
    if (added.length > 0) {
      await appendEvent(tx, { actor: { keyId: null, name: 'demo seed' }, action: 'reference.demo_seeded', subjectType: 'center', subjectId: '1', details: { added } }, now);
    }
  });
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await countDepartmentsAndApiKeys(db)) === 0;
}
