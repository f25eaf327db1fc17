// The durable peer MailIngest is compared with: each message is written to a file of its own and fsynced
// before Haraka answers 250, as MailIngest answers 250 only once every copy is on disk.
'use strict';
const fs = require('fs');
const path = require('path');

exports.register = function () {
    this.dir = process.env.HARAKA_QUEUE_DIR;
    fs.mkdirSync(this.dir, { recursive: true });
};

// No reverse DNS: answering here keeps Haraka from sending a PTR query for 127.0.0.1 to the system's resolver;
// every bench packet stays on loopback.
exports.hook_lookup_rdns = function (next) {
    next(OK, 'localhost');
};

// Any recipient is accepted, as MailIngest is run with AcceptedDomains empty.
exports.hook_rcpt = function (next) {
    next(OK);
};

exports.hook_queue = function (next, connection) {
    const txn = connection.transaction;
    const file = path.join(this.dir, `${txn.uuid}.eml`);
    txn.message_stream.get_data((data) => {
        fs.open(file, 'w', (openError, fd) => {
            if (openError) return next(DENYSOFT, openError.message);
            fs.write(fd, data, (writeError) => {
                if (writeError) return fs.close(fd, () => next(DENYSOFT, writeError.message));
                fs.fsync(fd, (syncError) => fs.close(fd, () => syncError ? next(DENYSOFT, syncError.message) : next(OK)));
            });
        });
    });
};
