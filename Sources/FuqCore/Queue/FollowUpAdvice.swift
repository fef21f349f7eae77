import Foundation

/// What the user can do next with a note, in whole sentences — a follow-up held for the
/// user's word needs `confirm` or `replied`, not a configuration fix.
public enum FollowUpAdvice {
    public static func nextStep(_ m: MessageRecord) -> String {
        guard m.isFollowUp else { return m.state.nextStep(for: m.id) }
        switch m.state {
        case .held where (m.lastError ?? "").hasPrefix(QueueStore.waitsForParent):
            return "It \(m.lastError ?? QueueStore.waitsForParent). Nothing to do for it; `fuq cancel \(m.id)` drops it."
        case .held where (m.lastError ?? "").hasPrefix(FollowUpGate.uncheckedPrefix):
            // A go-ahead cannot get past a check that failed: the mailbox must be readable.
            return "It waits until fuq can read your mailbox: fix that (`fuq doctor` checks imap:), then `fuq retry \(m.id)` "
                + "checks again and sends it if nobody has answered; `fuq replied \(m.id)` if they have."
        case .held where m.colleagueMail != nil:
            return "It waits for you: \(m.lastError ?? "someone at the company wrote"). Read that mail: `fuq replied \(m.id)` "
                + "if it was the answer (the follow-up is cancelled); `fuq confirm \(m.id)` to send the follow-up anyway."
        case .held:
            return "It waits for you: \(m.lastError ?? "see `fuq show \(m.id)`"). `fuq confirm \(m.id)` gives the go-ahead; `fuq replied \(m.id)` records that they answered and cancels it."
        case .cancelled:
            return "Nothing more happens to it. A follow-up is planned with its interview; to write to them again, queue a note with `fuq enqueue --also`."
        default:
            return m.state.nextStep(for: m.id)
        }
    }
}
