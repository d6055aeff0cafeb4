// Generated from openapi.yaml by `npm run openapi` (openapi-typescript); do not edit by hand.
/* eslint-disable */
export interface paths {
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in person and the session’s CSRF token */
        get: operations["getSession"];
        put?: never;
        /**
         * Sign in at the staff console with a username and password
         * @description Sets an HttpOnly, SameSite=Strict session cookie. Five wrong passwords in a row for a username from one address lock that username, from that address, for 30 seconds, doubling with each further one up to 15 minutes (SIGN_IN_THROTTLED, with Retry-After, even for the right password); at most 20 attempts per minute per address. Unknown usernames and wrong passwords get the same answers.
         */
        post: operations["postSession"];
        /** Sign out */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change one’s own password; other sessions of the login end
         * @description A wrong current password counts as a wrong sign-in of the username from this address (and locks it alike).
         */
        post: operations["postSessionPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/logins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Console logins */
        get: operations["getLogins"];
        put?: never;
        /**
         * Create a console login for a staff member; its first password is returned once
         * @description The login acts through its own console key (role, counter, scope). The person must change the first password at their first sign-in. Revoke the key to end the login.
         */
        post: operations["postLogins"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/logins/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new first password (returned once); the person’s sessions end and the lock from wrong passwords lifts */
        post: operations["postLoginsByIdResetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Database and signer are usable */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signing certificate and whether the token can sign now */
        get: operations["getSigner"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/center": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The center (delegated issuer) */
        get: operations["getCenter"];
        /** Set the center’s name, tax code and address */
        put: operations["putCenter"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/departments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List departments */
        get: operations["getDepartments"];
        put?: never;
        /** Create a department */
        post: operations["postDepartments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/departments/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One department */
        get: operations["getDepartmentsByCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a department */
        patch: operations["patchDepartmentsByCode"];
        trace?: never;
    };
    "/v1/fees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the fee catalog */
        get: operations["getFees"];
        put?: never;
        /** Add a fee or charge to a department’s catalog */
        post: operations["postFees"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fees/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One fee */
        get: operations["getFeesByCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a fee (future receipts only) */
        patch: operations["patchFeesByCode"];
        trace?: never;
    };
    "/v1/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List series */
        get: operations["getSeries"];
        put?: never;
        /** Register a series and the range delegated to the center */
        post: operations["postSeries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/series/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One series */
        get: operations["getSeriesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/series/{id}/terminate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End a series’ delegation early: no receipt on it from that day on (set once) */
        post: operations["postSeriesByIdTerminate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Staff members */
        get: operations["getStaff"];
        put?: never;
        /**
         * Add a staff member, once per person
         * @description A name that looks like an existing member’s (case, accents, spacing, invisible or look-alike characters aside) is refused with STAFF_NAME_SIMILAR, unless the admin names those members in distinctFrom as other people.
         */
        post: operations["postStaff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One staff member */
        get: operations["getStaffById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/staff/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a staff member: every key and console login of theirs stops at once */
        post: operations["postStaffByIdDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/staff/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a disabled staff member again */
        post: operations["postStaffByIdEnable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/daily-summaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The summaries 01/TH-BLĐT made (first submissions and supplements), newest day first */
        get: operations["getDailySummaries"];
        put?: never;
        /**
         * Make now what is due for a day that has ended: first summaries, and supplements for rows changed since they were reported
         * @description The daily job does this by itself after each day; this is for a past day that should not wait. Nothing new: an empty list.
         */
        post: operations["postDailySummaries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/daily-summaries/{id}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A summary’s signed XML, byte for byte as stored */
        get: operations["getDailySummariesByIdXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transmissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages to the tax authority: document, attempts, reply; newest first */
        get: operations["getTransmissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transmissions/{id}/reply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record the tax authority’s reply to a delivered message
         * @description Body: the reply envelope as the tax authority sent it (Content-Type application/xml): TDiep of type 999 or 204 whose MTDTChieu is this message’s code, TBao › DLTBao › TTTNhan 0 (accepted) or 1 (refused, with DSLDo › LDo). For the folder transport (the reply is downloaded from the tax portal) and for a result (204) that follows a technical receipt (999). A refusal or a result is final. It must be addressed to this service’s sender code (MNNhan) about the message’s taxpayer (MST). Its signature is not checked (the tax authority’s certificate is not configured); the audit trail keeps who recorded it and the reply’s SHA-256.
         */
        post: operations["postTransmissionsByIdReply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/daily-summaries/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a refused summary’s rows again, as the day’s next supplement
         * @description Once the reason the tax authority gave is dealt with. Only a refused summary, and once (a refused supplement can itself be sent again).
         */
        post: operations["postDailySummariesByIdResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/registrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registrations filed, newest first, with the tax authority’s answer */
        get: operations["getRegistrations"];
        put?: never;
        /**
         * File a registration 01/ĐKTĐ-CTĐT: signed, stored and sent to the tax authority
         * @description The first is a registration (HThuc 1), later ones changes (HThuc 2). Section 5 declares each series delegated to the center (principal, template, series, range, purpose, term, method) that runs on the day of the previous registration or later, so a change carries the terminations since. Needs the center’s tax office (PUT /v1/center).
         */
        post: operations["postRegistrations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/registrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One registration and the tax authority’s answer */
        get: operations["getRegistrationsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/registrations/{id}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A registration’s signed XML, byte for byte as stored */
        get: operations["getRegistrationsByIdXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every series delegated to the center, with the days the center may issue on it */
        get: operations["getDelegations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never their secrets) */
        get: operations["getApiKeys"];
        put?: never;
        /** Create an API key; the secret is returned once */
        post: operations["postApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API key; it stops working at once */
        post: operations["postApiKeysByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List receipts, newest first */
        get: operations["getReceipts"];
        put?: never;
        /**
         * Issue a signed receipt
         * @description Requires an Idempotency-Key header. The same key with the same body returns the original response.
         */
        post: operations["postReceipts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue up to 1000 receipts (dossiers paid online, back-office imports)
         * @description Requires an Idempotency-Key header, one for the batch. Each item is issued as POST /v1/receipts would issue it and has its own result, in order; a body that does not validate is refused whole (400) and issues nothing. Items of one series get ascending numbers in their order, in groups between counter requests (which go first). Sending the same batch again with the same key answers the items already issued with their receipts (replayed) and tries the failed ones again; another body with that key is refused (IDEMPOTENCY_KEY_REUSED).
         */
        post: operations["postReceiptsBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One receipt */
        get: operations["getReceiptsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed XML, byte for byte as stored
         * @description Responds with application/xml: the exact bytes that were signed and stored.
         */
        get: operations["getReceiptsByIdXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/share-rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Share rates with the day each starts */
        get: operations["getShareRates"];
        put?: never;
        /** Set a department’s share rate for one kind from today or a later day */
        post: operations["postShareRates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/fee-shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Collected, refunded and shares per department and kind
         * @description JSON; CSV (UTF-8 with BOM) with `Accept: text/csv`; an Excel workbook (XLSX, amounts as number cells) with `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`. Days are Vietnamese calendar days, inclusive.
         */
        get: operations["getReportsFeeShares"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/fee-shares/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Collected, refunded and shares per day: the trend over a period (at most a year) */
        get: operations["getReportsFeeSharesDaily"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/fee-shares/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ledger entries behind the fee-share figures */
        get: operations["getReportsFeeSharesEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/daily-summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Daily summary of receipt data (form 01/TH-BLĐT), signed XML or CSV
         * @description Signed XML of one department’s first summary of the day (schemas/daily-summary.xsd; `department` required), or CSV of every department with `Accept: text/csv`. Only for a day that has ended (Vietnam time). The daily job makes each day’s summaries by itself; an accountant’s request makes them if the job has not yet. Supplements: GET /v1/daily-summaries.
         */
        get: operations["getReportsDailySummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/periods/{month}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close a month that has ended; its report is stored with a hash, for good */
        post: operations["postPeriodsByMonthClose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/periods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Closed periods */
        get: operations["getPeriods"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/periods/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a month is open or closed */
        get: operations["getPeriodsByMonth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/periods/{month}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The closed month’s fee-share report, byte for byte as stored at closing
         * @description The body is exactly the stored JSON; the `report-sha256` header is its hash.
         */
        get: operations["getPeriodsByMonthReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Refunds of a receipt */
        get: operations["getReceiptsByIdRefunds"];
        put?: never;
        /**
         * Request a refund of part or all of a receipt (pending until an accountant decides)
         * @description Requires an Idempotency-Key header.
         */
        post: operations["postReceiptsByIdRefunds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Refunds, oldest first (status=pending: what waits for an accountant) */
        get: operations["getRefunds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One refund */
        get: operations["getRefundsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed refund voucher, byte for byte as stored
         * @description application/xml; exists once the refund is approved.
         */
        get: operations["getRefundsByIdXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a refund: issues the signed voucher and reverses the shares (not by the requester) */
        post: operations["postRefundsByIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a refund, with a reason (not by the requester) */
        post: operations["postRefundsByIdReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}/replacement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a replacement receipt (Circular 91 Art. 20); it is issued when another person, an accountant, approves
         * @description Requires an Idempotency-Key header. Refused while the receipt has refunds (approved or pending) or another correction waiting. A cashier key tied to a counter may ask only for receipts of its counter.
         */
        post: operations["postReceiptsByIdReplacement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}/error-notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Error notices of a receipt (approved and signed) */
        get: operations["getReceiptsByIdErrorNotices"];
        put?: never;
        /**
         * Ask for an error notice (04/SS-CTĐT) on the payer’s name or address or the amount in words; signed when an accountant approves
         * @description Requires an Idempotency-Key header. A cashier key tied to a counter may ask only for receipts of its counter.
         */
        post: operations["postReceiptsByIdErrorNotices"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corrections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Correction requests, oldest first (status=pending: what waits for an accountant) */
        get: operations["getCorrections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corrections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One correction request */
        get: operations["getCorrectionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corrections/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a correction: the replacement is issued (numbered, signed, posted) or the error notice signed (not by the requester) */
        post: operations["postCorrectionsByIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corrections/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a correction, with a reason (not by the requester); nothing else changes */
        post: operations["postCorrectionsByIdReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/error-notices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One error notice */
        get: operations["getErrorNoticesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/error-notices/{id}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed error notice, byte for byte as stored
         * @description application/xml
         */
        get: operations["getErrorNoticesByIdXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify one signed document: receipt, refund voucher, error notice, daily summary or registration
         * @description Body: the XML document (Content-Type application/xml), at most 4194304 bytes. One entry per check, each with its reason. `expect` names the kind of document the caller holds: another kind fails document-type, saying what it is.
         */
        post: operations["postVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify-period": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-verify every stored document of a period against its signature and the ledger
         * @description Receipts, refund vouchers, error notices, daily summaries and registrations, on all cores. At most 92 days per request (the CLI has no limit).
         */
        post: operations["postAuditVerifyPeriod"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail, oldest first */
        get: operations["getAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recompute the hash chain and name the first broken event */
        get: operations["getAuditVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The form to type a lookup code; with ?code= it leads to that receipt’s page
         * @description text/html. Spaces, dashes and lower case in the code are forgiven.
         */
        get: operations["getPublicReceipts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/receipts/{lookupCode}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The receipt with this lookup code, as a printable page (Vietnamese, A5)
         * @description No key. At most 60 lookups per minute per address; after 10 unknown codes in ten minutes, lookups from that address are refused for the rest of the window.
         */
        get: operations["getPublicReceiptsByLookupCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/receipts/{lookupCode}/xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed XML of the receipt with this lookup code
         * @description No key. At most 60 lookups per minute per address; after 10 unknown codes in ten minutes, lookups from that address are refused for the rest of the window. The signed XML carries the payer's full identity number, which the signature makes impossible to redact: when the receipt has one (or a tax code), `id4` must be its last four digits. After 5 wrong tries for one receipt in an hour, its XML is served only at the counter until the hour is over.
         */
        get: operations["getPublicReceiptsByLookupCodeXml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receipts/{id}/print": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The receipt as the printable page citizens see
         * @description text/html
         */
        get: operations["getReceiptsByIdPrint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/delegations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The posting sheet (niêm yết) of the delegations in force, to print and post at the counter
         * @description text/html, A4. No key: the law has it posted where the fees are collected. At most 60 requests per minute per address.
         */
        get: operations["getPublicDelegations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CenterInput: {
            name: string;
            taxCode: string;
            address: string;
            /** @description The tax office managing the center: error notices 04/SS-CTĐT are addressed to it */
            taxOffice?: {
                code: string;
                name: string;
            };
        };
        /** @description RFC 9457 problem details */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            /**
             * @description Stable error code (README, Errors)
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "IDEMPOTENCY_KEY_REQUIRED" | "UNAUTHENTICATED" | "SIGN_IN_FAILED" | "CSRF_FAILED" | "PASSWORD_CHANGE_REQUIRED" | "FORBIDDEN" | "ROUTE_NOT_FOUND" | "RECEIPT_NOT_FOUND" | "DEPARTMENT_NOT_FOUND" | "FEE_NOT_FOUND" | "SERIES_NOT_FOUND" | "API_KEY_NOT_FOUND" | "REFUND_NOT_FOUND" | "ERROR_NOTICE_NOT_FOUND" | "CORRECTION_NOT_FOUND" | "STAFF_NOT_FOUND" | "LOGIN_NOT_FOUND" | "PAYER_ID_REQUIRED" | "PAYER_ID_MISMATCH" | "SEPARATION_OF_DUTIES" | "OUTSIDE_COUNTER_SCOPE" | "REFUND_NOT_PENDING" | "CORRECTION_NOT_PENDING" | "CORRECTION_PENDING" | "CORRECTION_OUTDATED" | "REFUND_PENDING" | "RECEIPT_REFUNDED" | "RECEIPT_REPLACED" | "REFUND_EXCEEDS_REMAINING" | "NOTICE_FIELD_NOT_ALLOWED" | "NOTICE_NO_CHANGE" | "NOTICE_WORDS_MISMATCH" | "DEPARTMENT_EXISTS" | "STAFF_NAME_SIMILAR" | "FEE_EXISTS" | "USERNAME_TAKEN" | "SERIES_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "SERIES_EXHAUSTED" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "IDEMPOTENCY_KEY_REUSED" | "UNKNOWN_DEPARTMENT" | "STAFF_AMBIGUOUS" | "STAFF_DISABLED" | "UNKNOWN_FEE" | "UNKNOWN_SERIES" | "SERIES_WRONG_DEPARTMENT" | "SERIES_WRONG_YEAR" | "NO_ACTIVE_SERIES" | "INVALID_RANGE" | "RATE_IN_PAST" | "RATE_EXISTS" | "RATE_ALREADY_USED" | "SHARE_RATE_MISSING" | "PERIOD_CLOSED" | "PERIOD_ALREADY_CLOSED" | "PERIOD_NOT_ENDED" | "DAY_NOT_ENDED" | "DELEGATION_NOT_YET" | "DELEGATION_OUT_OF_TERM" | "DELEGATION_TERMINATED" | "TAX_OFFICE_NOT_SET" | "MESSAGE_TOO_LARGE" | "PERIOD_NOT_FOUND" | "DAILY_SUMMARY_NOT_FOUND" | "REGISTRATION_NOT_FOUND" | "TRANSMISSION_NOT_FOUND" | "TRANSMISSION_NOT_SENT" | "TRANSMISSION_SETTLED" | "REPLY_NOT_FOR_MESSAGE" | "SUMMARY_NOT_REJECTED" | "DAY_BEFORE_SERIES" | "TOTAL_TOO_LARGE" | "CENTER_NOT_CONFIGURED" | "SERIES_HELD" | "CENTER_NOT_SIGNER" | "RATE_LIMITED" | "SIGN_IN_THROTTLED" | "INTERNAL_ERROR" | "SIGNER_UNAVAILABLE" | "DATABASE_UNAVAILABLE" | "STORAGE_UNAVAILABLE" | "SHUTTING_DOWN" | "VERIFIER_BUSY" | "NOT_READY";
            instance?: string;
            /** @description Each bad field */
            errors?: {
                field: string;
                message: string;
            }[];
        };
        Receipt: {
            /** Format: uuid */
            id: string;
            /** @constant */
            template: "EBL01";
            series: string;
            number: number;
            /** @description Signing time, ISO 8601 */
            issuedAt: string;
            /** @description Date of issue in Vietnam (YYYY-MM-DD) */
            issueDate: string;
            department: {
                code: string;
                name: string;
                taxCode: string;
            };
            payer: {
                name: string;
                address?: string;
                taxCode?: string;
                idNumber?: string;
            };
            /** @enum {string} */
            paymentMethod: "cash" | "transfer" | "card" | "qr";
            dossierCode: string | null;
            items: {
                line: number;
                feeCode: string | null;
                name: string;
                /**
                 * @description fee (phí) or charge (lệ phí)
                 * @enum {string}
                 */
                kind: "fee" | "charge";
                quantity: number;
                unitPrice: number;
                amount: number;
            }[];
            total: number;
            totalInWords: string;
            lookupCode: string;
            /** @enum {string} */
            status: "issued" | "replaced";
            counter: string | null;
            /** @description SHA-256 of the signed XML as stored */
            xmlSha256: string;
            /** @description Split of the total at the rates in force on the issue date: center = Σ floor(amount × rate) per kind */
            shares: {
                center: number;
                department: number;
            };
            /** @description The receipt this one replaces */
            replaces: {
                /** Format: uuid */
                id: string;
                template: string;
                series: string;
                number: number;
                issueDate: string;
            } | null;
            replacementReason: string | null;
            /** @description The receipt that replaced this one */
            replacedBy: {
                /** Format: uuid */
                id: string;
                template: string;
                series: string;
                number: number;
                issueDate: string;
            } | null;
            refunds: {
                approved: number;
                pending: number;
                /** @description What can still be requested: total − approved − pending */
                refundable: number;
            };
            /** @description Every event of the receipt, oldest first */
            history: {
                at: string;
                /** @enum {string} */
                event: "issued" | "refund_requested" | "refund_approved" | "refund_rejected" | "replacement_requested" | "replacement_rejected" | "replaced" | "error_notice_requested" | "error_notice_rejected" | "error_notice";
                /** @description The receipt, refund, correction request, replacement receipt or error notice */
                id: string;
                amount: number | null;
            }[];
        };
        Refund: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            receiptId: string;
            amount: number;
            reason: string;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected";
            requestedAt: string;
            /** @description Name of the requesting key */
            requestedBy: string;
            decidedAt: string | null;
            decidedBy: string | null;
            decisionReason: string | null;
            /** @description The reversal, as positive amounts, once approved */
            shares: {
                center: number;
                department: number;
            } | null;
            voucherSha256: string | null;
        };
        ErrorNotice: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            receiptId: string;
            /** @enum {string} */
            field: "payerName" | "payerAddress" | "payerIdNumber" | "dossierCode" | "paymentMethod" | "totalInWords";
            wrongValue: string | null;
            correctValue: string;
            reason: string;
            issuedAt: string;
            issuedBy: string;
            xmlSha256: string;
        };
        CorrectionRequest: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "replacement" | "error_notice";
            /**
             * Format: uuid
             * @description The receipt to correct
             */
            receiptId: string;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected";
            /** @description replacement: the corrected receipt as requested; error_notice: field, wrongValue (at request time) and correctValue */
            details: {
                [key: string]: unknown;
            };
            reason: string;
            requestedAt: string;
            /** @description Name of the requesting key */
            requestedBy: string;
            /** @description The person who asked */
            requestedByStaff: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            decidedAt: string | null;
            decidedBy: string | null;
            decisionReason: string | null;
            /** @description Once approved: the replacement receipt, or the signed error notice */
            result: ({
                /** Format: uuid */
                receiptId: string;
            } | {
                /** Format: uuid */
                errorNoticeId: string;
            }) | null;
        };
        Center: {
            name: string;
            taxCode: string;
            address: string;
            /** @description The tax office managing the center: error notices 04/SS-CTĐT are addressed to it */
            taxOffice?: {
                code: string;
                name: string;
            };
        };
        Department: {
            code: string;
            name: string;
            taxCode: string;
            address?: string | null;
        };
        Fee: {
            code: string;
            department: string;
            name: string;
            /**
             * @description fee (phí) or charge (lệ phí)
             * @enum {string}
             */
            kind: "fee" | "charge";
            /** @description Integer VND */
            amount: number;
            /** @default true */
            active: boolean;
        };
        Series: {
            id: number;
            /** @constant */
            template: "EBL01";
            series: string;
            year: number;
            department: string;
            /** @description At most 8 digits (Decree 254 Art. 23.2) */
            rangeFrom: number;
            /** @description At most 8 digits (Decree 254 Art. 23.2) */
            rangeTo: number;
            /** @description Number the next receipt gets; rangeTo + 1 when exhausted */
            nextNumber: number;
            /** @description The delegation to the center, when registered with one */
            delegation: {
                /** @description The day the tax offices were notified */
                notifiedOn: string;
                /** @description First day of the term */
                from: string;
                /** @description Last day of the term */
                to: string;
            } | null;
            /** @description The day the delegation ended early; no receipt from that day on */
            terminatedOn: string | null;
        };
        StaffMember: {
            /** Format: uuid */
            id: string;
            name: string;
            createdAt: string;
            disabledAt: string | null;
        };
        ApiKey: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
            /** @description The person the key belongs to */
            staff: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** @description Counter a cashier key is tied to */
            counter: string | null;
            /**
             * @description Receipts a cashier key may ask to correct or refund: its counter’s, or the center’s
             * @enum {string}
             */
            scope: "counter" | "center";
            /** @description First characters of the key, to recognise it */
            prefix: string;
            /**
             * @description api: a bearer key for a program; console: a person’s sign-in at the staff console (no usable secret)
             * @enum {string}
             */
            kind: "api" | "console";
            createdAt: string;
            revokedAt: string | null;
        };
        Login: {
            /** Format: uuid */
            id: string;
            username: string;
            staff: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** @enum {string} */
            role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
            counter: string | null;
            /** @enum {string} */
            scope: "counter" | "center";
            /**
             * Format: uuid
             * @description The console key the login acts through: revoking it ends the login
             */
            keyId: string;
            /** @description False once its key is revoked or its staff member disabled */
            active: boolean;
            mustChangePassword: boolean;
            createdAt: string;
        };
        Session: {
            username: string;
            staff: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** @enum {string} */
            role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
            counter: string | null;
            /** @description Send it back in the X-CSRF-Token header on every request that is not a GET */
            csrfToken: string;
            mustChangePassword: boolean;
            /** @description The latest the session lasts; an hour without requests ends it sooner */
            expiresAt: string;
        };
        VerificationResult: {
            /** @description True only if every check that applies passed */
            valid: boolean;
            /** @description What the signature covers, read only from the signed content */
            document: {
                /** @enum {string} */
                type: "receipt" | "refund-voucher" | "error-notice" | "daily-summary" | "registration";
                dataId: string;
                /** @description The issuing center’s tax code the document names; the signer must be that center */
                issuerTaxCode?: string;
                template?: string;
                series?: string;
                number?: number;
                issueDate?: string;
                total?: number;
                parts?: {
                    fee: number;
                    charge: number;
                };
                documentId?: string;
                day?: string;
                receipts?: {
                    template: string;
                    series: string;
                    number: number;
                    total: number;
                }[];
            } | null;
            signer: {
                subject: string;
                issuer: string;
                serialNumber: string;
            } | null;
            /** @description The trusted CA the signer’s certificate chains to */
            trustAnchor: {
                subject: string;
                /** @description A development CA: never trusted in production */
                development: boolean;
            } | null;
            signingTime: string | null;
            /** @description What the center’s records say of the document now: a receipt replaced or refunded since it was signed says so */
            record: {
                /** @enum {string} */
                status: "issued" | "replaced" | "partly-refunded" | "refunded" | "recorded";
                replacedBy?: {
                    template: string;
                    series: string;
                    number: number;
                    issueDate: string;
                };
                refunded?: number;
            } | null;
            checks: {
                /** @enum {string} */
                name: "size" | "well-formed" | "document-type" | "schema" | "signature-count" | "signature-structure" | "algorithms" | "reference-coverage" | "certificate-chain" | "digest" | "signature-value" | "certificate-validity" | "key-usage" | "record-match";
                passed: boolean;
                skipped?: boolean;
                reason: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postSessionPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    /** @description At least 10 characters */
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Login"][];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postLogins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username: string;
                    /** @description The person’s name: joins the staff member of that name, or a new one. Required without staffId */
                    name?: string;
                    /** Format: uuid */
                    staffId?: string;
                    /** @enum {string} */
                    role: "admin" | "cashier" | "accountant" | "auditor";
                    counter?: string;
                    /**
                     * @default counter
                     * @enum {string}
                     */
                    scope?: "counter" | "center";
                    /** @description The first password; omitted, one is generated. Either way it must be changed at the first sign-in */
                    password?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        username: string;
                        staff: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                        };
                        /** @enum {string} */
                        role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
                        counter: string | null;
                        /** @enum {string} */
                        scope: "counter" | "center";
                        /**
                         * Format: uuid
                         * @description The console key the login acts through: revoking it ends the login
                         */
                        keyId: string;
                        /** @description False once its key is revoked or its staff member disabled */
                        active: boolean;
                        mustChangePassword: boolean;
                        createdAt: string;
                        /** @description Shown once */
                        password: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postLoginsByIdResetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        username: string;
                        staff: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                        };
                        /** @enum {string} */
                        role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
                        counter: string | null;
                        /** @enum {string} */
                        scope: "counter" | "center";
                        /**
                         * Format: uuid
                         * @description The console key the login acts through: revoking it ends the login
                         */
                        keyId: string;
                        /** @description False once its key is revoked or its staff member disabled */
                        active: boolean;
                        mustChangePassword: boolean;
                        createdAt: string;
                        /** @description Shown once */
                        password: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                        database: boolean;
                        signer: boolean;
                        storage: boolean;
                    };
                };
            };
        };
    };
    getSigner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "file" | "pkcs11";
                        signatureMethod: string;
                        /** @description A probe signature verified with the certificate just now (or, for a token session, a signature made in the last 5 s) */
                        usable: boolean;
                        certificate: {
                            subject: string;
                            issuer: string;
                            serialNumber: string;
                            validFrom: string;
                            validTo: string;
                            fingerprintSha256: string;
                        };
                        /** @description Signer certificate first, then its CAs */
                        chainPem: string[];
                        /** @description Each token session of the signer pool (empty for a file signer): up or taken out, signatures in progress, signatures made since start */
                        tokens: {
                            /** @description Token label and session number */
                            name: string;
                            up: boolean;
                            busy: number;
                            signed: number;
                        }[];
                        /** @description Counter requests waiting for their series to be issued */
                        queued: number;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCenter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Center"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putCenter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CenterInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Center"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDepartments: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Department"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDepartments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    name: string;
                    taxCode: string;
                    address?: string | null;
                    /**
                     * @description Center’s share in basis points from today on; default 15% of both kinds
                     * @default {
                     *       "fee": 1500,
                     *       "charge": 1500
                     *     }
                     */
                    shareRates?: {
                        /** @default 1500 */
                        fee?: number;
                        /** @default 1500 */
                        charge?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Department"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDepartmentsByCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Department"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchDepartmentsByCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    taxCode?: string;
                    address?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Department"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFees: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Fee"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postFees: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    department: string;
                    name: string;
                    /**
                     * @description fee (phí) or charge (lệ phí)
                     * @enum {string}
                     */
                    kind: "fee" | "charge";
                    /** @description Integer VND */
                    amount: number;
                    /** @default true */
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fee"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFeesByCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fee"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchFeesByCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description Integer VND */
                    amount?: number;
                    /** @default true */
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fee"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSeries: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                department?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Series"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postSeries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    delegation?: {
                        /** @description The day the tax offices were notified */
                        notifiedOn: string;
                        /** @description First day of the term */
                        from: string;
                        /** @description Last day of the term */
                        to: string;
                    };
                    /**
                     * @default EBL01
                     * @enum {string}
                     */
                    template?: "EBL01";
                    series: string;
                    department: string;
                    /** @description At most 8 digits (Decree 254 Art. 23.2) */
                    rangeFrom: number;
                    /** @description At most 8 digits (Decree 254 Art. 23.2) */
                    rangeTo: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Series"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSeriesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Series"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postSeriesByIdTerminate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The first day without the delegation: today or later */
                    date: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Series"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStaff: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StaffMember"][];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postStaff: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Full name, once per person */
                    name: string;
                    /** @description Staff members with a name that looks the same, whom the admin confirms are other people */
                    distinctFrom?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStaffById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postStaffByIdDisable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postStaffByIdEnable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDailySummaries: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                date?: string;
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: uuid */
                            id: string;
                            dataId: string;
                            date: string;
                            department: string;
                            /** @description 0: the first submission (LDau); n: supplement n (BSLThu) */
                            supplement: number;
                            /** @description The department’s running number of summaries (Số) */
                            sequence: number;
                            receipts: number;
                            createdAt: string;
                            xmlSha256: string;
                            /** @description The refused summary this supplement sends again */
                            resends: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDailySummaries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A Vietnamese calendar day before today */
                    date: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: uuid */
                            id: string;
                            dataId: string;
                            date: string;
                            department: string;
                            /** @description 0: the first submission (LDau); n: supplement n (BSLThu) */
                            supplement: number;
                            /** @description The department’s running number of summaries (Số) */
                            sequence: number;
                            receipts: number;
                            createdAt: string;
                            xmlSha256: string;
                            /** @description The refused summary this supplement sends again */
                            resends: string | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDailySummariesByIdXml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The daily summary (01/TH-BLĐT): the signed XML, byte for byte as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTransmissions: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                status?: "pending" | "sent" | "accepted" | "rejected";
                documentType?: "daily-summary" | "error-notice" | "registration";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: uuid */
                            id: string;
                            /** @description MTDiep: the sender code and an upper-case UUID; the same on every attempt */
                            messageCode: string;
                            /** @description MLTDiep */
                            messageType: number;
                            /** @enum {string} */
                            documentType: "daily-summary" | "error-notice" | "registration";
                            documentId: string;
                            documentDate: string | null;
                            taxCode: string;
                            createdAt: string;
                            /** @enum {string} */
                            status: "pending" | "sent" | "accepted" | "rejected";
                            attempts: {
                                at: string;
                                transport: string;
                                /** @enum {string} */
                                outcome: "delivered" | "failed";
                                detail: string;
                            }[];
                            nextAttemptAt: string | null;
                            sentAt: string | null;
                            reply: {
                                type: number | null;
                                code: string | null;
                                text: string | null;
                                at: string | null;
                            } | null;
                            /** @description A daily summary not yet delivered 3 working days (Monday–Friday) after its day */
                            overdue: boolean;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postTransmissionsByIdReply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** @description MTDiep: the sender code and an upper-case UUID; the same on every attempt */
                        messageCode: string;
                        /** @enum {string} */
                        status: "pending" | "sent" | "accepted" | "rejected";
                        reply: {
                            type: number | null;
                            code: string | null;
                            text: string | null;
                            at: string | null;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDailySummariesByIdResend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        dataId: string;
                        date: string;
                        department: string;
                        /** @description 0: the first submission (LDau); n: supplement n (BSLThu) */
                        supplement: number;
                        /** @description The department’s running number of summaries (Số) */
                        sequence: number;
                        receipts: number;
                        createdAt: string;
                        xmlSha256: string;
                        /** @description The refused summary this supplement sends again */
                        resends: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRegistrations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: uuid */
                            id: string;
                            dataId: string;
                            /** @description HThuc: 1 the first registration, 2 a change */
                            kind: 1 | 2;
                            createdAt: string;
                            /** @description How many delegations section 5 declares */
                            delegations: number;
                            xmlSha256: string;
                            /**
                             * @description Its message’s: accepted once the tax authority accepts it
                             * @enum {string}
                             */
                            status: "pending" | "sent" | "accepted" | "rejected";
                            reply: {
                                code: string | null;
                                text: string | null;
                                at: string | null;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postRegistrations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Who the tax office contacts about the registration */
                    contact: {
                        name: string;
                        address: string;
                        /** Format: email */
                        email: string;
                        phone: string;
                    };
                    /**
                     * @description MDich of each delegation
                     * @default Thu phí, lệ phí thủ tục hành chính tại bộ phận một cửa
                     */
                    purpose?: string;
                    /**
                     * @description PThuc of each delegation: how payers pay
                     * @default Tiền mặt, chuyển khoản, thẻ, mã QR
                     */
                    method?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        dataId: string;
                        /** @description HThuc: 1 the first registration, 2 a change */
                        kind: 1 | 2;
                        createdAt: string;
                        /** @description How many delegations section 5 declares */
                        delegations: number;
                        xmlSha256: string;
                        /**
                         * @description Its message’s: accepted once the tax authority accepts it
                         * @enum {string}
                         */
                        status: "pending" | "sent" | "accepted" | "rejected";
                        reply: {
                            code: string | null;
                            text: string | null;
                            at: string | null;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRegistrationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        dataId: string;
                        /** @description HThuc: 1 the first registration, 2 a change */
                        kind: 1 | 2;
                        createdAt: string;
                        /** @description How many delegations section 5 declares */
                        delegations: number;
                        xmlSha256: string;
                        /**
                         * @description Its message’s: accepted once the tax authority accepts it
                         * @enum {string}
                         */
                        status: "pending" | "sent" | "accepted" | "rejected";
                        reply: {
                            code: string | null;
                            text: string | null;
                            at: string | null;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRegistrationsByIdXml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The registration (01/ĐKTĐ-CTĐT): the signed XML, byte for byte as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDelegations: {
        parameters: {
            query?: {
                /** @description The day `inForce` is about; today by default */
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            seriesId: number;
                            template: string;
                            series: string;
                            rangeFrom: number;
                            rangeTo: number;
                            department: {
                                code: string;
                                name: string;
                                taxCode: string;
                            };
                            notifiedOn: string;
                            from: string;
                            to: string;
                            terminatedOn: string | null;
                            /** @description The term’s start, and not before notification + 3 days */
                            firstIssuingDay: string;
                            /** @description The term’s end, or the day before an early termination */
                            lastIssuingDay: string;
                            /** @description Whether the center may issue on it on the day asked */
                            inForce: boolean;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiKeys: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The holder’s name: the key joins the staff member of that name (look-alike names count as one), or a new one. Required without staffId; with it, the key’s label (default: the staff member’s name) */
                    name?: string;
                    /** @enum {string} */
                    role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
                    /**
                     * Format: uuid
                     * @description The staff member the key belongs to (needed when several have a name like `name`)
                     */
                    staffId?: string;
                    counter?: string;
                    /**
                     * @description For cashier keys: counter (default) or center
                     * @default counter
                     * @enum {string}
                     */
                    scope?: "counter" | "center";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        /** @enum {string} */
                        role: "admin" | "cashier" | "accountant" | "auditor" | "monitor";
                        /** @description The person the key belongs to */
                        staff: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                        };
                        /** @description Counter a cashier key is tied to */
                        counter: string | null;
                        /**
                         * @description Receipts a cashier key may ask to correct or refund: its counter’s, or the center’s
                         * @enum {string}
                         */
                        scope: "counter" | "center";
                        /** @description First characters of the key, to recognise it */
                        prefix: string;
                        /**
                         * @description api: a bearer key for a program; console: a person’s sign-in at the staff console (no usable secret)
                         * @enum {string}
                         */
                        kind: "api" | "console";
                        createdAt: string;
                        revokedAt: string | null;
                        /** @description Shown once; only its hash is stored */
                        secret: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiKeysByIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReceipts: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                department?: string;
                series?: string;
                status?: "issued" | "replaced";
                /** @description First Vietnamese calendar day, inclusive */
                from?: string;
                /** @description Last Vietnamese calendar day, inclusive */
                to?: string;
                /** @description A receipt number, or part of the payer’s name or of the dossier code (case ignored); needs from and to, at most 366 days apart */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Receipt"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postReceipts: {
        parameters: {
            query?: never;
            header: {
                /** @description Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Collecting organization */
                    department: string;
                    /** @description Default: the department’s series of the year */
                    series?: string;
                    payer: {
                        /** @description Payer’s full name (người nộp) */
                        name: string;
                        address?: string;
                        taxCode?: string;
                        idNumber?: string;
                    };
                    items: ({
                        /** @description A fee of the department’s catalog */
                        feeCode: string;
                        /** @default 1 */
                        quantity?: number;
                    } | {
                        name: string;
                        /**
                         * @description fee (phí) or charge (lệ phí)
                         * @enum {string}
                         */
                        kind: "fee" | "charge";
                        /** @description Integer VND */
                        amount: number;
                    })[];
                    /** @enum {string} */
                    paymentMethod: "cash" | "transfer" | "card" | "qr";
                    /** @description Dossier code of the administrative procedure (mã hồ sơ) */
                    dossierCode?: string;
                    /**
                     * Format: email
                     * @description The payer’s e-mail: the signed receipt and its page are sent there, and later error notices; not part of the signed receipt
                     */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Receipt"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postReceiptsBatch: {
        parameters: {
            query?: never;
            header: {
                /** @description Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 1–1000 receipts, each as for POST /v1/receipts */
                    receipts: {
                        /** @description Collecting organization */
                        department: string;
                        /** @description Default: the department’s series of the year */
                        series?: string;
                        payer: {
                            /** @description Payer’s full name (người nộp) */
                            name: string;
                            address?: string;
                            taxCode?: string;
                            idNumber?: string;
                        };
                        items: ({
                            /** @description A fee of the department’s catalog */
                            feeCode: string;
                            /** @default 1 */
                            quantity?: number;
                        } | {
                            name: string;
                            /**
                             * @description fee (phí) or charge (lệ phí)
                             * @enum {string}
                             */
                            kind: "fee" | "charge";
                            /** @description Integer VND */
                            amount: number;
                        })[];
                        /** @enum {string} */
                        paymentMethod: "cash" | "transfer" | "card" | "qr";
                        /** @description Dossier code of the administrative procedure (mã hồ sơ) */
                        dossierCode?: string;
                        /**
                         * Format: email
                         * @description The payer’s e-mail: the signed receipt and its page are sent there, and later error notices; not part of the signed receipt
                         */
                        email?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Items with a receipt (newly issued or issued by an earlier try of this batch) */
                        issued: number;
                        failed: number;
                        /** @description One per item, in the batch’s order */
                        results: ({
                            index: number;
                            /** @enum {number} */
                            status: 201;
                            replayed: boolean;
                            receipt: components["schemas"]["Receipt"];
                        } | {
                            index: number;
                            status: number;
                            problem: components["schemas"]["Problem"];
                        })[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReceiptsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Receipt"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReceiptsByIdXml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt: the signed XML, byte for byte as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getShareRates: {
        parameters: {
            query?: {
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            department: string;
                            /**
                             * @description fee (phí) or charge (lệ phí)
                             * @enum {string}
                             */
                            kind: "fee" | "charge";
                            /** @description Basis points: 1500 = 15% */
                            rateBp: number;
                            /** @description First Vietnamese calendar day the rate applies to */
                            effectiveFrom: string;
                        }[];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postShareRates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    department: string;
                    /**
                     * @description fee (phí) or charge (lệ phí)
                     * @enum {string}
                     */
                    kind: "fee" | "charge";
                    /** @description Basis points: 1500 = 15% */
                    rateBp: number;
                    effectiveFrom: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        department: string;
                        /**
                         * @description fee (phí) or charge (lệ phí)
                         * @enum {string}
                         */
                        kind: "fee" | "charge";
                        /** @description Basis points: 1500 = 15% */
                        rateBp: number;
                        /** @description First Vietnamese calendar day the rate applies to */
                        effectiveFrom: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReportsFeeShares: {
        parameters: {
            query: {
                /** @description First Vietnamese calendar day, inclusive */
                from: string;
                /** @description Last Vietnamese calendar day, inclusive */
                to: string;
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        department: string | null;
                        rows: {
                            department: string;
                            departmentName: string;
                            /**
                             * @description fee (phí) or charge (lệ phí)
                             * @enum {string}
                             */
                            kind: "fee" | "charge";
                            /** @description Receipts (in a row: receipts with items of this kind), less those replaced */
                            receipts: number;
                            collected: number;
                            refunded: number;
                            /** @description collected − refunded = centerShare + departmentShare */
                            net: number;
                            centerShare: number;
                            departmentShare: number;
                        }[];
                        totals: {
                            /** @description Receipts (in a row: receipts with items of this kind), less those replaced */
                            receipts: number;
                            collected: number;
                            refunded: number;
                            /** @description collected − refunded = centerShare + departmentShare */
                            net: number;
                            centerShare: number;
                            departmentShare: number;
                        };
                    };
                    "text/csv": string;
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReportsFeeSharesDaily: {
        parameters: {
            query: {
                /** @description First Vietnamese calendar day, inclusive */
                from: string;
                /** @description Last Vietnamese calendar day, inclusive */
                to: string;
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        department: string | null;
                        days: {
                            date: string;
                            collected: number;
                            refunded: number;
                            net: number;
                            centerShare: number;
                            departmentShare: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReportsFeeSharesEntries: {
        parameters: {
            query: {
                /** @description First Vietnamese calendar day, inclusive */
                from: string;
                /** @description Last Vietnamese calendar day, inclusive */
                to: string;
                department?: string;
                /** @description fee (phí) or charge (lệ phí) */
                kind?: "fee" | "charge";
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            id: number;
                            postedAt: string;
                            businessDate: string;
                            department: string;
                            /**
                             * @description fee (phí) or charge (lệ phí)
                             * @enum {string}
                             */
                            kind: "fee" | "charge";
                            /** @enum {string} */
                            entryType: "receipt" | "refund" | "replacement_reversal";
                            receipt: {
                                id: string;
                                template: string;
                                series: string;
                                number: number;
                                issueDate: string;
                            };
                            refundId: string | null;
                            collected: number;
                            refunded: number;
                            centerShare: number;
                            departmentShare: number;
                            rateBp: number;
                            originalPeriod: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReportsDailySummary: {
        parameters: {
            query: {
                /** @description Vietnamese calendar day, before today */
                date: string;
                department?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed XML of one department’s summary, or with Accept: text/csv the CSV of every department */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                    "text/csv": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postPeriodsByMonthClose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        month: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        closedAt: string | null;
                        /** @description SHA-256 of the stored report bytes (GET …/report) */
                        reportSha256: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPeriods: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            month: string;
                            /** @enum {string} */
                            status: "open" | "closed";
                            closedAt: string | null;
                            /** @description SHA-256 of the stored report bytes (GET …/report) */
                            reportSha256: string | null;
                        }[];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPeriodsByMonth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        month: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        closedAt: string | null;
                        /** @description SHA-256 of the stored report bytes (GET …/report) */
                        reportSha256: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPeriodsByMonthReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report exactly as stored at closing; the report-sha256 header is its SHA-256 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReceiptsByIdRefunds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Refund"][];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postReceiptsByIdRefunds: {
        parameters: {
            query?: never;
            header: {
                /** @description Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more */
                "Idempotency-Key": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Integer VND, at most what is left of the receipt */
                    amount: number;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRefunds: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                status?: "pending" | "approved" | "rejected";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Refund"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRefundsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRefundsByIdXml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The refund voucher: the signed XML, byte for byte as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postRefundsByIdApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postRefundsByIdReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postReceiptsByIdReplacement: {
        parameters: {
            query?: never;
            header: {
                /** @description Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more */
                "Idempotency-Key": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The corrected receipt, in full, and why the original is replaced */
        requestBody: {
            content: {
                "application/json": {
                    /** @description Collecting organization */
                    department: string;
                    /** @description Default: the department’s series of the year */
                    series?: string;
                    payer: {
                        /** @description Payer’s full name (người nộp) */
                        name: string;
                        address?: string;
                        taxCode?: string;
                        idNumber?: string;
                    };
                    items: ({
                        /** @description A fee of the department’s catalog */
                        feeCode: string;
                        /** @default 1 */
                        quantity?: number;
                    } | {
                        name: string;
                        /**
                         * @description fee (phí) or charge (lệ phí)
                         * @enum {string}
                         */
                        kind: "fee" | "charge";
                        /** @description Integer VND */
                        amount: number;
                    })[];
                    /** @enum {string} */
                    paymentMethod: "cash" | "transfer" | "card" | "qr";
                    /** @description Dossier code of the administrative procedure (mã hồ sơ) */
                    dossierCode?: string;
                    /**
                     * Format: email
                     * @description The payer’s e-mail: the signed receipt and its page are sent there, and later error notices; not part of the signed receipt
                     */
                    email?: string;
                    /** @description What was wrong with the replaced receipt */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrectionRequest"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReceiptsByIdErrorNotices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ErrorNotice"][];
                        nextCursor: null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postReceiptsByIdErrorNotices: {
        parameters: {
            query?: never;
            header: {
                /** @description Chosen by the client, 1–200 printable ASCII characters, scoped to its API key: a retry with the same key returns what the first request did, and changes nothing more */
                "Idempotency-Key": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description One of payerName, payerAddress, payerIdNumber, dossierCode, paymentMethod, totalInWords */
                    field: string;
                    correctValue: string;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrectionRequest"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCorrections: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                status?: "pending" | "approved" | "rejected";
                kind?: "replacement" | "error_notice";
                /** @description Requests about one receipt */
                receipt?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["CorrectionRequest"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCorrectionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrectionRequest"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postCorrectionsByIdApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrectionRequest"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postCorrectionsByIdReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrectionRequest"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getErrorNoticesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorNotice"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getErrorNoticesByIdXml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The error notice (04/SS-CTĐT): the signed XML, byte for byte as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postVerify: {
        parameters: {
            query?: {
                expect?: "receipt" | "refund-voucher" | "error-notice" | "daily-summary" | "registration";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The signed XML document to verify */
        requestBody: {
            content: {
                "application/xml": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerificationResult"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuditVerifyPeriod: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    from: string;
                    to: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        documents: {
                            receipts: number;
                            refundVouchers: number;
                            errorNotices: number;
                            dailySummaries: number;
                            registrations: number;
                        };
                        valid: number;
                        invalid: number;
                        findings: {
                            /** @enum {string} */
                            type: "receipt" | "refund-voucher" | "error-notice" | "daily-summary" | "registration" | "ledger-aggregate";
                            id: string;
                            /** @description The record: a receipt’s template, series and number, a refund, a notice, or a day’s aggregate */
                            label: string;
                            /** @description Each failed check, and each field whose record differs from the signed document */
                            problems: string[];
                        }[];
                        workers: number;
                        durationMs: number;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuditEvents: {
        parameters: {
            query?: {
                /** @description Page size, 1–100 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                action?: string;
                subjectType?: string;
                subjectId?: string;
                /** @description First Vietnamese calendar day */
                from?: string;
                /** @description Last Vietnamese calendar day */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            seq: number;
                            at: string;
                            actorKey: string | null;
                            /** @description The staff member behind the key */
                            actorStaff?: string | null;
                            actor: string;
                            action: string;
                            subjectType: string;
                            subjectId: string;
                            details: {
                                [key: string]: unknown;
                            };
                            prevHash: string;
                            /** @description SHA-256 of prevHash, a newline and the event as canonical JSON */
                            hash: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        valid: boolean;
                        /** @description Events checked before the first break */
                        events: number;
                        /** @description The last intact event */
                        head: {
                            seq: number;
                            hash: string;
                        };
                        firstBroken: {
                            seq: number;
                            reason: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPublicReceipts: {
        parameters: {
            query?: {
                code?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPublicReceiptsByLookupCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                lookupCode: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPublicReceiptsByLookupCodeXml: {
        parameters: {
            query?: {
                /** @description Last four digits of the payer’s identity number, or of the tax code when there is none */
                id4?: string;
            };
            header?: never;
            path: {
                lookupCode: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getReceiptsByIdPrint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The printable page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPublicDelegations: {
        parameters: {
            query?: {
                /** @description The day the sheet is for; today by default */
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
