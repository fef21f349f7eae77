import Foundation
import GRDB

extension QueueStore {

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "interview") { t in
                t.primaryKey("id", .text)
                t.column("company", .text).notNull()
                t.column("position", .text).notNull()
                t.column("startsAt", .datetime)
                t.column("endsAt", .datetime).notNull()
                t.column("timezone", .text).notNull()
                t.column("source", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "message") { t in
                t.primaryKey("id", .text)
                t.column("interviewId", .text).notNull().indexed().references("interview", onDelete: .restrict)
                t.column("kind", .text).notNull()
                t.column("recipientName", .text).notNull()
                t.column("recipientEmail", .text).notNull()
                t.column("recipientZone", .text).notNull()
                t.column("isLead", .boolean).notNull()
                t.column("subject", .text).notNull()
                t.column("templateName", .text).notNull()
                t.column("template", .text).notNull()
                t.column("context", .text).notNull()
                t.column("body", .text).notNull()
                t.column("messageId", .text).notNull().unique()
                t.column("due", .datetime).notNull()
                t.column("latest", .datetime).notNull()
                t.column("reason", .text).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN (\(MessageState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("lastError", .text)
                t.column("sentAt", .datetime)
                t.column("serverReply", .text)
                t.column("fingerprint", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "message_state_due", on: "message", columns: ["state", "due"])
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("messageId", .text).notNull().indexed().references("message", onDelete: .cascade)
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("outcome", .text).notNull()
                t.column("smtpCode", .integer)
                t.column("serverText", .text)
                t.column("host", .text)
            }
        }
        // v2: when the user last released a note (`retry`, `send-now`): a paused daemon resumes
        // only for that (or a reload), not for any write to the queue; and the duplicate check
        // looks notes up by recipient.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "message") { t in t.add(column: "releasedAt", .datetime) }
            try db.execute(sql: "CREATE INDEX message_recipient ON message(recipientEmail COLLATE NOCASE, kind)")
        }
        // v3: `status` reads in due order, filtered by interview or `--since` and cut by
        // `--limit`: these indexes give the rows in that order, so nothing is sorted and a
        // limit stops the scan early.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "CREATE INDEX message_due_id ON message(due, id)")
            try db.execute(sql: "CREATE INDEX message_interview_due ON message(interviewId, due, id)")
        }
        // v4: the send date a note's text was rendered for, so a delivery re-renders it only
        // when the "today"/"yesterday" wording would change.
        migrator.registerMigration("v4") { db in
            try db.alter(table: "message") { t in t.add(column: "renderedFor", .datetime) }
        }
        // v5: follow-ups. A message may wait for a parent (`inReplyTo`), carry its thread
        // (`threadIDs`), count as the first or second follow-up (`nudge`) and hold the user's
        // go-ahead (`confirmedAt`); a sent note may come back `bounced` (the state check is
        // widened by rebuilding the table: SQLite cannot alter a CHECK; `releasedAt` gains an index,
        // so the daemon's `MAX(releasedAt)` each cycle reads one entry, not the table). An interview keeps its
        // decision date and whether (and how) they replied.
        migrator.registerMigration("v5") { db in
            try db.alter(table: "interview") { t in
                t.add(column: "decisionBy", .datetime)
                t.add(column: "repliedAt", .datetime)
                t.add(column: "replyNote", .text)
                t.add(column: "mailboxCheckedAt", .datetime)
                t.add(column: "mailboxNote", .text)
            }
            let columns = try db.columns(in: "message").map { "\"\($0.name)\"" }.joined(separator: ", ")
            try db.create(table: "message_v5") { t in
                t.primaryKey("id", .text)
                t.column("interviewId", .text).notNull().references("interview", onDelete: .restrict)
                t.column("kind", .text).notNull()
                t.column("recipientName", .text).notNull()
                t.column("recipientEmail", .text).notNull()
                t.column("recipientZone", .text).notNull()
                t.column("isLead", .boolean).notNull()
                t.column("subject", .text).notNull()
                t.column("templateName", .text).notNull()
                t.column("template", .text).notNull()
                t.column("context", .text).notNull()
                t.column("body", .text).notNull()
                t.column("messageId", .text).notNull().unique()
                t.column("due", .datetime).notNull()
                t.column("latest", .datetime).notNull()
                t.column("reason", .text).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN (\(MessageState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("lastError", .text)
                t.column("sentAt", .datetime)
                t.column("serverReply", .text)
                t.column("fingerprint", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("releasedAt", .datetime)
                t.column("renderedFor", .datetime)
                t.column("inReplyTo", .text)
                t.column("threadIDs", .text)
                t.column("nudge", .integer).notNull().defaults(to: 0)
                t.column("confirmedAt", .datetime)
            }
            try db.execute(sql: "INSERT INTO message_v5 (\(columns)) SELECT \(columns) FROM message")
            try db.drop(table: "message")
            try db.rename(table: "message_v5", to: "message")
            try db.execute(sql: """
                CREATE INDEX index_message_on_interviewId ON message(interviewId);
                CREATE INDEX index_message_on_fingerprint ON message(fingerprint);
                CREATE INDEX message_state_due ON message(state, due);
                CREATE INDEX message_recipient ON message(recipientEmail COLLATE NOCASE, kind);
                CREATE INDEX message_due_id ON message(due, id);
                CREATE INDEX message_interview_due ON message(interviewId, due, id);
                CREATE INDEX message_parent ON message(inReplyTo) WHERE inReplyTo IS NOT NULL;
                CREATE INDEX message_released ON message(releasedAt);
                """)
        }
        // A go-ahead covers the colleagues' mail known when it was given, by identity (a date
        // can be wrong or forged): what held the follow-up, and what the go-ahead covered.
        migrator.registerMigration("v6") { db in
            try db.alter(table: "message") { t in
                t.add(column: "colleagueMail", .text)
                t.add(column: "acknowledgedMail", .text)
            }
        }
        // v7: what fuq tells the user (`notify:`). A trigger records each change that may need
        // them in the same transaction as the change itself — whichever command or daemon made
        // it — so an event is never lost between a state change and its telling, and never
        // recorded twice. Each channel marks what it did with the event (NULL: not yet).
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
                CREATE TABLE event (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  messageId TEXT REFERENCES message(id) ON DELETE CASCADE,
                  interviewId TEXT REFERENCES interview(id) ON DELETE CASCADE,
                  state TEXT NOT NULL,
                  detail TEXT,
                  at DATETIME NOT NULL,
                  desktop TEXT,
                  email TEXT,
                  command TEXT,
                  emailAt DATETIME,
                  emailTries INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX event_message ON event(messageId);
                CREATE INDEX event_pending ON event(id) WHERE desktop IS NULL OR email IS NULL OR command IS NULL;
                CREATE INDEX event_emailed ON event(emailAt) WHERE emailAt IS NOT NULL;
                CREATE TRIGGER message_event AFTER UPDATE OF state, lastError ON message
                 WHEN NEW.state IN ('failed', 'expired', 'uncertain', 'bounced', 'held', 'sent', 'cancelled')
                  AND (NEW.state IS NOT OLD.state OR (NEW.state = 'held' AND NEW.lastError IS NOT OLD.lastError))
                  AND (NEW.state <> 'cancelled' OR NEW.reason LIKE 'they replied: %')
                BEGIN
                  INSERT INTO event (messageId, interviewId, state, detail, at)
                  VALUES (NEW.id, NEW.interviewId, NEW.state,
                          CASE WHEN NEW.state = 'cancelled' THEN NEW.reason ELSE NEW.lastError END, NEW.updatedAt);
                END;
                -- What already waits on the user when this queue is upgraded is told once too
                -- (what changed in the last month: older news is in `status`).
                INSERT INTO event (messageId, interviewId, state, detail, at)
                SELECT id, interviewId, state, lastError, updatedAt FROM message
                 WHERE state IN ('held', 'failed', 'expired', 'uncertain', 'bounced') AND updatedAt > datetime('now', '-30 days');
                CREATE TRIGGER mailbox_event AFTER UPDATE OF mailboxNote ON interview
                 WHEN NEW.mailboxNote LIKE 'the last check failed%'
                  AND (OLD.mailboxNote IS NULL OR OLD.mailboxNote NOT LIKE 'the last check failed%')
                BEGIN
                  INSERT INTO event (interviewId, state, detail, at)
                  VALUES (NEW.id, 'mailbox', NEW.mailboxNote, COALESCE(NEW.mailboxCheckedAt, CURRENT_TIMESTAMP));
                END;
                """)
        }
        // v8: the calendar invitation an interview was drafted from (`fuq new`), so an updated
        // invitation (same UID, higher SEQUENCE) is recognised.
        migrator.registerMigration("v8") { db in
            try db.alter(table: "interview") { t in
                t.add(column: "invitationUid", .text)
                t.add(column: "invitationSequence", .integer)
            }
            try db.execute(sql: "CREATE INDEX interview_invitation ON interview(invitationUid) WHERE invitationUid IS NOT NULL")
        }
        return migrator
    }
}
