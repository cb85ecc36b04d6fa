package com.nova.wallet.service;

import com.nova.wallet.WalletViews.Statement;
import com.nova.wallet.WalletViews.StatementLine;

/**
 * A statement as CSV (RFC 4180): an opening row, one row per transaction with its running
 * balance, a closing row. Text that a spreadsheet would run as a formula is quoted with a leading
 * apostrophe, so a reason an admin typed cannot become one.
 */
public final class StatementCsv {

    static final String HEADER = "row,at,transaction_id,kind,merchant_id,reference,reason,balance_change,held_change,balance,held";

    private StatementCsv() {
    }

    public static String write(Statement s) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        csv.append("opening,").append(s.from().toInstant()).append(",,,,,,,,").append(s.openingBalance()).append(',')
                .append(s.openingHeld()).append("\r\n");
        for (StatementLine l : s.items()) {
            csv.append("transaction,").append(l.at().toInstant()).append(',').append(l.transactionId()).append(',')
                    .append(l.kind()).append(',').append(cell(l.merchantId())).append(',').append(cell(l.reference())).append(',')
                    .append(cell(l.reason())).append(',').append(l.balanceChange()).append(',').append(l.heldChange()).append(',')
                    .append(l.balance()).append(',').append(l.held()).append("\r\n");
        }
        csv.append("closing,").append(s.to().toInstant()).append(",,,,,,,,").append(s.closingBalance()).append(',')
                .append(s.closingHeld()).append("\r\n");
        return csv.toString();
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
