// Generated from Config/templates/*.mustache — a test keeps the two identical.
// These are the templates used when `templates.dir` is not set.
enum BuiltInTemplates {
    static let all: [String: String] = [
        "follow-up": #"""
Subject: Following up – {{sender.name}} – {{position}} interview

Dear {{interviewer.salutation}},

{{#follow_up.first}}
{{#phrasing.first_a}}I hope you are well. I am writing to follow up on our conversation on {{interview.date}} about the {{position}} role at {{company}}, which I remain very interested in. Is there any update you can share on the timeline for the next steps? Thank you for your time and consideration.{{/phrasing.first_a}}{{#phrasing.first_b}}I hope your week is going well. I wanted to check in about the {{position}} position at {{company}} that we discussed on {{interview.date}}; I am still very enthusiastic about the opportunity. Could you let me know whether there is any news on the timeline? Thank you again for your time.{{/phrasing.first_b}}{{#phrasing.first_c}}I am following up on my interview on {{interview.date}} for the {{position}} role at {{company}}. The role remains a great fit for what I hope to do next, and I am keen to hear how the process is going. Is there an update on the timeline you could share? Many thanks for your help.{{/phrasing.first_c}}{{#phrasing.first_d}}I hope all is well with you. Since our conversation on {{interview.date}}, I have remained very interested in the {{position}} role at {{company}}. I would be grateful for any update on where things stand with the next steps. Thank you for your time.{{/phrasing.first_d}}{{#phrasing.first_e}}I wanted to touch base regarding the {{position}} role at {{company}}, which we discussed on {{interview.date}}. I am still very excited about the opportunity and would appreciate hearing whether there is an update on the timeline. Thank you once more for your consideration.{{/phrasing.first_e}}
{{/follow_up.first}}
{{#follow_up.second}}
{{#phrasing.second_a}}I wanted to follow up once more on the {{position}} role at {{company}}. I understand that these processes take time, and I remain very interested in the opportunity. Thank you for any update you are able to share.{{/phrasing.second_a}}{{#phrasing.second_b}}I hope you are doing well. I am still very interested in the {{position}} position at {{company}} and would welcome any news on the timeline when you have it. Thank you for your time.{{/phrasing.second_b}}{{#phrasing.second_c}}I am checking in one last time about the {{position}} role at {{company}}. I remain enthusiastic about joining the team, and I would be grateful for any update you can share. Many thanks.{{/phrasing.second_c}}{{#phrasing.second_d}}Just a brief note to say that I remain very interested in the {{position}} role at {{company}}. If there is any update on the next steps, I would be glad to hear it. Thank you again.{{/phrasing.second_d}}{{#phrasing.second_e}}I am following up once more regarding the {{position}} position at {{company}}. I understand you are busy and appreciate your time; I remain keen on the role and would value any update. Thank you.{{/phrasing.second_e}}
{{/follow_up.second}}

{{#phrasing.fourth_a}}Best regards,{{/phrasing.fourth_a}}{{#phrasing.fourth_b}}Kind regards,{{/phrasing.fourth_b}}{{#phrasing.fourth_c}}Warm regards,{{/phrasing.fourth_c}}{{#phrasing.fourth_d}}Sincerely,{{/phrasing.fourth_d}}{{#phrasing.fourth_e}}All the best,{{/phrasing.fourth_e}}
{{sender.name}}
{{sender.phone}}
{{#sender.links}}
{{.}}
{{/sender.links}}

"""#,
        "thank-you": #"""
Subject: Thank you – {{sender.name}} – {{position}} interview

Dear {{interviewer.salutation}},

{{#phrasing.first_a}}Thank you for taking the time to speak with me {{interview.when}} about the {{position}} role at {{company}}, and especially for our conversation about {{interviewer.topic}}.{{/phrasing.first_a}}{{#phrasing.first_b}}I appreciated the chance to speak with you {{interview.when}} about the {{position}} role at {{company}}, and in particular our discussion of {{interviewer.topic}}.{{/phrasing.first_b}}{{#phrasing.first_c}}Thank you for meeting with me {{interview.when}} to discuss the {{position}} position at {{company}}, and for everything you shared about {{interviewer.topic}}.{{/phrasing.first_c}}{{#phrasing.first_d}}It was a pleasure to talk with you {{interview.when}} about the {{position}} role at {{company}}, and I particularly valued what you said about {{interviewer.topic}}.{{/phrasing.first_d}}{{#phrasing.first_e}}Thank you for your time {{interview.when}} and for the conversation about {{interviewer.topic}}, which gave me a much clearer picture of what the {{position}} role at {{company}} involves.{{/phrasing.first_e}} {{#phrasing.second_a}}It left me even more interested in joining the team.{{/phrasing.second_a}}{{#phrasing.second_b}}I came away even more excited about the work ahead of your team.{{/phrasing.second_b}}{{#phrasing.second_c}}It made me all the more eager to contribute to what the team is building.{{/phrasing.second_c}}{{#phrasing.second_d}}The conversation confirmed how much I would like to be part of this team.{{/phrasing.second_d}}{{#phrasing.second_e}}I left even more enthusiastic about the chance to work with you.{{/phrasing.second_e}}{{#pitch}} {{pitch}}{{/pitch}}

{{#interviewer.clarify}}
I would also like to add one point to our conversation. {{interviewer.clarify}}

{{/interviewer.clarify}}
{{#interviewer.note}}
{{interviewer.note}}

{{/interviewer.note}}
{{#phrasing.third_a}}If it would be helpful, I am happy to share more about my work, such as examples or references. I look forward to hearing about the next steps.{{/phrasing.third_a}}{{#phrasing.third_b}}Please let me know if I can provide anything further, such as examples of my work or references. Thank you again for your time.{{/phrasing.third_b}}{{#phrasing.third_c}}Should any further information be useful, I would be glad to send it. I look forward to hearing from you.{{/phrasing.third_c}}{{#phrasing.third_d}}If you would like more detail on anything we discussed, I would be happy to follow up. Thanks again for your time and insight.{{/phrasing.third_d}}{{#phrasing.third_e}}I would be glad to provide any additional information that would help. I look forward to staying in touch.{{/phrasing.third_e}}

{{#phrasing.fourth_a}}Best regards,{{/phrasing.fourth_a}}{{#phrasing.fourth_b}}Kind regards,{{/phrasing.fourth_b}}{{#phrasing.fourth_c}}Warm regards,{{/phrasing.fourth_c}}{{#phrasing.fourth_d}}Sincerely,{{/phrasing.fourth_d}}{{#phrasing.fourth_e}}All the best,{{/phrasing.fourth_e}}
{{sender.name}}
{{sender.phone}}
{{#sender.links}}
{{.}}
{{/sender.links}}

"""#,
    ]
}
