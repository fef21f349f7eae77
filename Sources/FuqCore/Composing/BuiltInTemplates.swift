// Generated from Config/templates/*.mustache — a test keeps the two identical.
// These are the templates used when `templates.dir` is not set.
enum BuiltInTemplates {
    static let all: [String: String] = [
        "thank-you": #"""
Subject: Thank you for the {{position}} interview – {{sender.name}}

Dear {{interviewer.salutation}},

Thank you for taking the time to speak with me {{interview.when}} about the {{position}} role at {{company}}. I especially enjoyed our conversation about {{interviewer.topic}}, and it left me even more interested in joining the team.

{{#interviewer.note}}
{{interviewer.note}}

{{/interviewer.note}}
Thank you again for your time and for the care you put into the conversation. I look forward to hearing about next steps.

Best regards,
{{sender.name}}
{{sender.phone}}
{{#sender.links}}
{{.}}
{{/sender.links}}

"""#,
    ]
}
