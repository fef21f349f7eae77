// Generated from Config/phrasings.yaml by scripts/gen-phrasings — a test keeps the two identical.
enum BuiltInPhrasings {
    static let yaml = #"""
# Built-in phrasings of fuq's notes: the data behind thank-you.mustache and follow-up.mustache.
#
# Every alternative is one line of Mustache using only these variables:
#   {{interview.when}}   "today" / "yesterday" / "on Tuesday" (carries its own preposition)
#   {{interview.date}}   "Tuesday, December 8" / "Tuesday 8 December" (write "on {{interview.date}}")
#   {{interview.names}}  "Dana Rivera and the team" / "Dana Rivera, Kwame Okafor and Mei Lin"
#   {{position}}  {{company}}
#   {{interviewer.topic}}    lowercase noun phrase ("moving the build farm to Kubernetes") OR a
#                            clause ("how the board thinks about the platform rewrite"), and it
#                            may itself begin with "on" ("on-call load and how the team measures toil")
#   {{pitch}}                a full sentence, with its own full stop
#   {{interviewer.clarify}}  a full sentence, with its own full stop
#
# Notes to different interviewers of one panel pick different alternatives of every slot, so
# each alternative stands on its own and differs in structure, not only in a word.
#
# Conventions kept throughout:
#   - {{interview.date}} is followed by punctuation wherever possible, so that the American
#     "Tuesday, December 8" and the British "Tuesday 8 December" both read correctly.
#   - A slot never begins with {{interviewer.topic}} (it is lowercase).
#   - {{interviewer.topic}} only follows words that take both a noun phrase and a clause, and
#     comes last in its sentence: "about …", "turned to …", "walking me through …". Never
#     "on …" ("on on-call"), "like …", "much like …" or "onto …".
#   - The opening names the topic, so the pitch never repeats it: it refers back ("the work you
#     described", "the questions you raised") and makes a modest claim, because the pitch is the
#     same sentence in every note of a panel and need not match each person's topic.
#   - Spellings are the same in American and British English (no -ize/-ise verbs, no
#     "toward(s)", "afterward(s)", "candor", "favor", "program", ...), and no wording that reads
#     as American to a British reader ("opening" for a vacancy, "check in", "Sincerely,", "Best,").
#   - standard: warm, specific, no more than one enthusiasm adjective in a whole note (the
#     thank-you slots carry none, apart from "interest"); senior: peer to peer, concise, none.
#   - Recruiter lists never say "our", "we", "conversation", "discussed" or "spoke":
#     the recruiter was not in the interview. recruiter_screened may speak of "our call" or
#     "our earlier conversation" (the screening) and still names the interview.
#   - Every follow-up body says the candidate is still interested, asks softly about the
#     timeline and thanks the reader.

thank_you:
  # 1st sentence: thanks for the conversation {{interview.when}} about the role; names THIS person's topic.
  opening:
    standard:
      - "Thank you for speaking with me {{interview.when}} about the {{position}} role at {{company}}, and for taking the time to answer my questions about {{interviewer.topic}}."
      - "I appreciated the chance to talk with you {{interview.when}} about the {{position}} position at {{company}}, especially when the discussion turned to {{interviewer.topic}}."
      - "Thank you for your time {{interview.when}}: I now have a much clearer sense of the {{position}} role at {{company}}, not least from what you said about {{interviewer.topic}}."
      - "It was a pleasure to meet you {{interview.when}} and to go through the {{position}} role at {{company}} together, in particular what you told me about {{interviewer.topic}}."
      - "Many thanks for interviewing me {{interview.when}} for the {{position}} role at {{company}}, and in particular for walking me through {{interviewer.topic}}."
      - "I am grateful for the time you set aside {{interview.when}} to discuss the {{position}} role at {{company}}, and for your clear account of {{interviewer.topic}}."
      - "I would like to thank you for our conversation {{interview.when}} about the {{position}} role at {{company}}, and most of all for what you shared about {{interviewer.topic}}."
      - "Thank you for making time {{interview.when}} to talk about the {{position}} role at {{company}}; the part I have thought about most since is what you said about {{interviewer.topic}}."
      - "I enjoyed speaking with you {{interview.when}} about the {{position}} role at {{company}}, and I especially valued the detail you gave about {{interviewer.topic}}."
      - "Thank you for a thoughtful conversation {{interview.when}} about the {{position}} role at {{company}}, and for being so open about {{interviewer.topic}}."
    senior:
      - "Thank you for the conversation {{interview.when}} about the {{position}} role at {{company}}, and in particular for your frankness about {{interviewer.topic}}."
      - "I appreciated your time {{interview.when}} to discuss the {{position}} role at {{company}}, and your directness about {{interviewer.topic}}."
      - "Thank you for meeting with me {{interview.when}} about the {{position}} role at {{company}}; the most useful part for me was what you said about {{interviewer.topic}}."
      - "Thanks for the time {{interview.when}} to discuss the {{position}} role at {{company}}, and for the depth of your answers about {{interviewer.topic}}."
      - "I valued our discussion {{interview.when}} about the {{position}} role at {{company}}, and especially your thinking about {{interviewer.topic}}."
      - "It was good to speak with you {{interview.when}} about the {{position}} role at {{company}}, and to hear your candid view of {{interviewer.topic}}."
      - "Thank you for a frank and useful exchange {{interview.when}} about the {{position}} role at {{company}}, particularly where it turned to {{interviewer.topic}}."
      - "I appreciated the chance {{interview.when}} to discuss the {{position}} role at {{company}} with you, and to hear your assessment of {{interviewer.topic}}."
      - "Thank you for speaking with me {{interview.when}}; I now understand the {{position}} role at {{company}} much better, most of all from your account of {{interviewer.topic}}."

  # 2nd sentence: what the conversation did for you; forward-looking, about the team's work.
  # (No bare "It" as subject: the opening may end on the topic, and "It" would point at it.
  # No "you described": the pitch that follows refers back that way.)
  reaction:
    standard:
      - "I came away with a clearer idea of the problems your team is working through and how I would approach them in my first months."
      - "The team's priorities are now easy for me to picture, and I left already thinking about where I could contribute."
      - "The conversation confirmed that the team's plans line up closely with the work I want to be doing next."
      - "Hearing about the work first-hand made the scope of the role concrete, and I can picture where my experience would be of most use."
      - "Since then I have been sketching how I would take on the team's next set of challenges, which for me is a good sign that a role fits."
      - "I left with a better sense of the trade-offs the team is weighing and a strong interest in helping to work through them."
      - "I now have a concrete picture of where the team is heading over the next year and how I could add to that work early on."
      - "I rarely leave an interview with a list of ideas to try, but I came away with several for the team's current work."
      - "The discussion left me more interested in the role than when I arrived, particularly in the work the team has ahead of it."
      - "I came away knowing what success in the role would look like, and it suits the way I like to work."
    senior:
      - "Your answers clarified where the team needs to be over the next year and where I would put my attention first."
      - "I left with a clear view of the problems worth solving first and how I would approach them."
      - "The conversation confirmed that the role sits where I can have the most impact."
      - "I came away with a sharper sense of the team's priorities and of the decisions ahead."
      - "What we covered has already shaped how I would approach the first quarter in the role."
      - "That gave me a concrete view of the work ahead and of how my background fits it."
      - "The meeting reinforced my interest in the role; the team's next phase is the kind of work I want to lead."
      - "I have been thinking since about the trade-offs at stake and where I would start."
      - "The case for the role is clearer to me now: the next set of decisions for the team is where I can contribute most."

  # One or two sentences that lead to what you bring, ending with {{pitch}} verbatim. The
  # opening has already named the topic: refer back to it, never repeat {{interviewer.topic}}.
  pitch:
    standard:
      - "The work you described is close to what I know best. {{pitch}}"
      - "Much of what you covered is familiar ground from my own work. {{pitch}}"
      - "On the points you raised, I would not be starting from scratch. {{pitch}}"
      - "The areas you outlined are where I believe I could contribute quickly. {{pitch}}"
      - "What you told me about the team's work connects with my own experience. {{pitch}}"
      - "Challenges like the ones you raised are ones I have met before. {{pitch}}"
      - "I would bring relevant experience to the work you outlined. {{pitch}}"
      - "Part of why your account stood out to me is that I have done similar work myself. {{pitch}}"
      - "Your account also made me think about where my own experience fits in. {{pitch}}"
    senior:
      - "On the questions you raised, I would be building on work I have already done. {{pitch}}"
      - "The work you described is the kind I have taken on before. {{pitch}}"
      - "My experience maps closely onto the agenda you outlined. {{pitch}}"
      - "The issues you raised are ones I have had to resolve in practice. {{pitch}}"
      - "I would expect to add value early on the issues you set out. {{pitch}}"
      - "My own record is relevant to the problem you described. {{pitch}}"
      - "The ground you covered is familiar territory for me. {{pitch}}"
      - "I would come to these issues with relevant, recent experience. {{pitch}}"
      - "Much of what you raised overlaps with my own record. {{pitch}}"

  # Its own paragraph: introduces a point to add or put right, then {{interviewer.clarify}} verbatim.
  clarify:
    standard:
      - "I would also like to add one point to an answer I gave. {{interviewer.clarify}}"
      - "Looking back on our conversation, there is one answer I would like to make clearer. {{interviewer.clarify}}"
      - "There is one thing I did not explain as well as I would have liked. {{interviewer.clarify}}"
      - "I have thought further about one of your questions and would like to add to my answer. {{interviewer.clarify}}"
      - "May I add a point to something we covered? {{interviewer.clarify}}"
      - "On reflection, I gave one of your questions a shorter answer than it deserved. {{interviewer.clarify}}"
      - "I would like to put one of my answers right. {{interviewer.clarify}}"
      - "One of your questions has stayed with me, and I have a fuller answer now. {{interviewer.clarify}}"
      - "To round out something I said in the interview, here is one more detail. {{interviewer.clarify}}"
    senior:
      - "One point deserves a better answer than I gave it. {{interviewer.clarify}}"
      - "I want to add to one of my answers. {{interviewer.clarify}}"
      - "I would like to sharpen one point from our discussion. {{interviewer.clarify}}"
      - "Let me correct one point for the record. {{interviewer.clarify}}"
      - "On reflection, one answer needs more context. {{interviewer.clarify}}"
      - "I gave an incomplete answer on one point, so let me round it out. {{interviewer.clarify}}"
      - "I owe you a fuller answer on one point. {{interviewer.clarify}}"
      - "Having thought further about one exchange, I would frame my answer differently. {{interviewer.clarify}}"
      - "One thing I left out is worth adding. {{interviewer.clarify}}"

  # The last paragraph: an offer, thanks again or a look forward. Not a goodbye, not a brush-off.
  close:
    standard:
      - "If it would help, I would be glad to walk you through a past project that shows how I work. Thank you again, and I look forward to hearing about the next steps."
      - "If it would be useful, I can put together a one-page summary of the projects most relevant to the role. I look forward to continuing the conversation."
      - "Should anything we covered need more detail, I can follow up in writing or on a short call. Thank you again, and I look forward to the next stage."
      - "If a walk-through of my past work would be useful to you or the team, I would be pleased to arrange one. I look forward to hearing how the process moves forward."
      - "Please let me know if there is anything else you would like to see from me, such as a sample of my work. I look forward to our next conversation."
      - "I would be glad to go deeper on any of this in the next round, and I look forward to hearing about next steps."
      - "If there are further questions about my background, I am happy to answer them by email or in person. Thank you again, and I look forward to the next steps."
      - "If a short note on how I would tackle the team's first priorities would help, I can send one. I look forward to continuing the discussion."
      - "I look forward to continuing the conversation with you and the wider team, and I am happy to share anything that would be useful in the meantime."
    senior:
      - "I would be glad to take any of these points further, and I look forward to the next stage of the process."
      - "I am glad to go further into any of this as the process moves on, and I look forward to the next conversation."
      - "If it would be useful to go deeper on any point before the next round, I am happy to make time. I look forward to the next stage."
      - "I look forward to picking this up again at the next stage; in the meantime, I am available if anything needs clarifying."
      - "If it would help your decision, I am glad to meet others on the team. I look forward to continuing the discussion."
      - "I would welcome the opportunity to continue this conversation with you and the wider leadership team, and can make time whenever it is useful."
      - "If a follow-up discussion would be useful, I can make time at short notice; I would welcome the chance to take this further."
      - "There is more I would like to explore with you on this, and I hope the next stage gives us the chance."
      - "I would be glad to share an outline of my first-quarter priorities if that would be useful, and I look forward to continuing the discussion."

  # The closing word(s) before the name: right for American and British readers alike.
  sign_off:
    standard:
      - "Best regards,"
      - "Kind regards,"
      - "Warm regards,"
      - "With thanks,"
      - "Best wishes,"
      - "With best regards,"
      - "With kind regards,"
      - "With appreciation,"
    senior:
      - "Best regards,"
      - "Regards,"
      - "With best regards,"
      - "Kind regards,"
      - "With thanks,"
      - "Warm regards,"
      - "Many thanks,"
      - "Best wishes,"
      - "With kind regards,"

follow_up:
  # The whole body of the first follow-up to the lead interviewer, about a week later (3-4
  # sentences): still interested, any update on the timeline, thanks; "our conversation on {{interview.date}}".
  lead:
    standard:
      - "I am writing to follow up on the {{position}} role at {{company}} and our conversation on {{interview.date}}. The role remains a strong match for what I want to do next. If there is any news on the timeline, I would be grateful to hear it. Thank you again for your time."
      - "Since our conversation on {{interview.date}}, I have kept thinking about the {{position}} role and the work ahead for your team at {{company}}. I remain very interested in joining. When there is an update on the timeline for a decision, I would appreciate hearing it. Thank you for your time and consideration."
      - "Thank you again for our conversation on {{interview.date}}. I am still very interested in the {{position}} position at {{company}}, and I would welcome any update you can share on the timeline. In the meantime, I am happy to provide anything else that would help."
      - "I am following up on our conversation on {{interview.date}}, as the {{position}} role at {{company}} remains one I would very much like to take on. I would be grateful to know whether there is any update on the timeline. Thank you again for the time you gave me."
      - "I wanted to let you know that my interest in the {{position}} role at {{company}} is as strong as it was after our conversation on {{interview.date}}. I understand these decisions take time, and I would welcome an update on the timeline whenever one is available. Thank you for your consideration."
      - "I enjoyed our conversation on {{interview.date}}, and I have thought about the {{position}} role often since. I am still keen to join {{company}}, and I would appreciate hearing whether there is any news on the timeline. Many thanks for your time."
      - "Following our conversation on {{interview.date}}, I remain very interested in the {{position}} role at {{company}}. If you are able to share where things stand on the timeline, I would appreciate it. Thank you again for your time and for the insight into the team's work."
      - "I am writing about the {{position}} role at {{company}}. You gave me a clear picture of the team's plans in our conversation on {{interview.date}}, and I would still very much like to be part of them. Is there any update you can share on the timeline? Thank you for your time."
      - "Looking back on our conversation on {{interview.date}}, I remain very interested in the {{position}} role at {{company}}, and much of what you said has stayed with me. If there has been any movement on the timeline, I would be grateful to hear about it. Thank you again for the time you gave me."
    senior:
      - "I am following up on our conversation on {{interview.date}}. I remain interested in the {{position}} role at {{company}} and would welcome an update on the timeline when you have one. Thank you for your time."
      - "Since our conversation on {{interview.date}}, my interest in the {{position}} role at {{company}} has firmed up. I would appreciate any update on the timeline for a decision. Thanks again for your time."
      - "This is a short follow-up to our conversation on {{interview.date}}. The {{position}} role at {{company}} remains of real interest to me. If there is an update on timing, I would be glad to hear it. Thank you."
      - "I wanted to follow up on the {{position}} role at {{company}} and our conversation on {{interview.date}}. I remain interested and would value a sense of the timeline from here. Thank you for your time."
      - "I wanted to thank you again for our conversation on {{interview.date}}, and for the clear view it gave me of the {{position}} role at {{company}}. I remain interested in the role and would be glad to know where things stand on the timeline. Thanks for your time."
      - "I am writing to confirm my continued interest in the {{position}} role at {{company}} following our conversation on {{interview.date}}. Any update on timing would be welcome. Thank you for your time."
      - "Thank you again for our conversation on {{interview.date}}. The {{position}} role at {{company}} remains a strong fit from my side, and I would welcome an update on next steps and timing when you are able to share one. I appreciate your time."
      - "Since our conversation on {{interview.date}}, I have given the {{position}} role at {{company}} further thought, and my interest is firmer for it. I would appreciate an update on the timeline when one is available. Thank you."
      - "I remain interested in the {{position}} role at {{company}} after our conversation on {{interview.date}}, and I would like to continue the discussion. If there is an update on the timeline, I would be glad to hear it. Thank you for your time."

  # The same follow-up sent to a RECRUITER who was not in the interview: never claims a
  # conversation with them; names the interview with {{interview.names}}, date and position.
  recruiter:
    standard:
      - "I am writing to follow up on the {{position}} role at {{company}}, for which I interviewed with {{interview.names}} on {{interview.date}}. I remain very interested in the position. If there is any update on the timeline, I would be grateful to hear it. Thank you for your help throughout the process."
      - "I interviewed for the {{position}} role with {{interview.names}} on {{interview.date}}, and I am still very interested in joining {{company}}. I would appreciate any update you can share on the timeline. Thank you for your help along the way."
      - "Following my interview with {{interview.names}} on {{interview.date}}, I wanted to confirm that I remain very interested in the {{position}} role at {{company}}. I would be grateful to know whether there is any news on the timeline. Many thanks for your help."
      - "I am following up on the {{position}} role at {{company}}. I interviewed with {{interview.names}} on {{interview.date}}, and the role remains a strong match for what I want to do next. When there is an update on the timeline, I would be glad to hear it. Thank you for your support with the process."
      - "On {{interview.date}}, I met {{interview.names}} to interview for the {{position}} role at {{company}}, and I remain very interested in the position. If you are able to share where things stand on the timeline, I would appreciate it. Thank you for your time and help."
      - "Since my interview with {{interview.names}} for the {{position}} role on {{interview.date}}, I have thought a good deal about the work, and I would very much like to join {{company}}. I would welcome any news on the timeline. Thank you for your help so far."
      - "I wanted to follow up on my interview for the {{position}} role at {{company}}: I met {{interview.names}} on {{interview.date}}, and I am still very interested. I would be grateful for an update on the timeline when one is available. Thank you for your help with the arrangements."
      - "I am writing about the {{position}} role at {{company}}. I met {{interview.names}} for the interview on {{interview.date}}, and I would still very much like to join the team. Is there any update you can share on the timeline? Thank you for your time."
      - "I remain very interested in the {{position}} role at {{company}} after meeting {{interview.names}} on {{interview.date}}. If there has been any movement on the timeline, I would appreciate hearing about it. Thank you for your help."
    senior:
      - "I am following up on my interview with {{interview.names}} on {{interview.date}}, for the {{position}} role at {{company}}. I remain interested and would welcome an update on the timeline when you have one. Thank you for your help."
      - "I am following up on the {{position}} role at {{company}}, for which I met {{interview.names}} on {{interview.date}}. I remain interested in the role. Any update on timing would be welcome. Thank you."
      - "Following my interview with {{interview.names}} on {{interview.date}}, I remain interested in the {{position}} role at {{company}}. Could you share where the process stands on timing? Thank you for your help."
      - "This is a short follow-up on the {{position}} role at {{company}}. I interviewed with {{interview.names}} on {{interview.date}}, and my interest is unchanged. I would appreciate a sense of the timeline from here. Thank you."
      - "My interview with {{interview.names}} for the {{position}} role at {{company}} took place on {{interview.date}}. I remain interested and would value an update on next steps and timing when one is available. Thanks for your help with the process."
      - "I am writing to confirm my continued interest in the {{position}} role at {{company}} after meeting {{interview.names}} on {{interview.date}}. I would appreciate any update on the timeline. Thank you for your support."
      - "Since meeting {{interview.names}} for the {{position}} role at {{company}} on {{interview.date}}, I have given the role further thought, and my interest is firmer for it. If there is an update on timing, I would be glad to hear it. Thank you."
      - "I wanted to follow up on the {{position}} search at {{company}}: I met {{interview.names}} on {{interview.date}}. The role remains a strong fit from my side, and I would welcome an update when you are able to share one. Thank you for your help."
      - "On {{interview.date}}, I met {{interview.names}} to interview for the {{position}} role at {{company}}, and my interest in the role has firmed up since. Any update on the timeline would be appreciated. Thank you for your time."

  # To a recruiter who ALSO held a screening call: may mention "our call" / "our earlier
  # conversation" (the screening, before the interview); still names the interview.
  recruiter_screened:
    standard:
      - "Thank you again for our earlier call about the {{position}} role at {{company}}, and for setting up my interview with {{interview.names}} on {{interview.date}}. I remain very interested in the position. If there is any update on the timeline, I would be grateful to hear it."
      - "Our call prepared me well for my interview with {{interview.names}} on {{interview.date}}, and the {{position}} role at {{company}} is an even better match than I expected. I would appreciate any update you can share on the timeline. Thank you for your help throughout the process."
      - "I am following up on the {{position}} role at {{company}}. After our earlier conversation, I met {{interview.names}} on {{interview.date}}, and I remain very interested in joining the team. I would be grateful to know whether there is any news on the timeline. Many thanks for your help."
      - "Our call gave me a good picture of the {{position}} role, and on {{interview.date}}, meeting {{interview.names}} filled in the rest. I am still very interested in joining {{company}}. When there is an update on the timeline, I would be glad to hear it. Thank you for your support."
      - "I wanted to follow up on my interview for the {{position}} role at {{company}}, with {{interview.names}} on {{interview.date}}. Everything I heard built on what you described in our call, and I remain very interested. If you are able to share where things stand on the timeline, I would appreciate it. Thank you."
      - "Thank you for your help since our first call about the {{position}} role at {{company}}. I met {{interview.names}} for the interview on {{interview.date}}, and I remain very interested in the position. I would welcome any news on the timeline when it is available."
      - "On {{interview.date}}, my interview with {{interview.names}} confirmed what our earlier conversation suggested: the {{position}} role at {{company}} is one I would very much like to take on. Is there any update you can share on the timeline? Thank you for your help."
      - "I am writing about the {{position}} role at {{company}}. Following our call, I met {{interview.names}} on {{interview.date}}, and I would still very much like to join the team. If there has been any movement on the timeline, I would be grateful to hear about it. Thank you for your time."
      - "I appreciated our call ahead of my interview with {{interview.names}} on {{interview.date}}, and I remain very interested in the {{position}} role at {{company}}. I would welcome any update on the timeline when one is available. Thank you again for your help."
    senior:
      - "Thank you again for our earlier call and for arranging my interview with {{interview.names}} on {{interview.date}}. I remain interested in the {{position}} role at {{company}} and would welcome an update on the timeline when you have one."
      - "Since our call, I have met {{interview.names}} for the {{position}} role at {{company}}; the interview was on {{interview.date}}. My interest is firmer than before, and any update on timing would be welcome. Thank you."
      - "Following our earlier conversation, I met {{interview.names}} on {{interview.date}}, for the {{position}} role at {{company}}. I remain interested. Could you share where the process stands on timing? Thank you for your help."
      - "I am following up on the {{position}} role at {{company}}. My interview on {{interview.date}}, with {{interview.names}}, built on what we covered in our call, and I remain interested. I would appreciate a sense of the timeline from here. Thank you."
      - "This is a short follow-up on the {{position}} role at {{company}}. After our call I met {{interview.names}} on {{interview.date}}, and my interest is unchanged. I would value an update on next steps and timing when one is available. Thank you."
      - "Our earlier conversation set out the {{position}} role at {{company}} well, and I met {{interview.names}} on {{interview.date}}, which confirmed the fit from my side. Any update on the timeline would be appreciated. Thank you for your help."
      - "I am following up on the {{position}} role at {{company}}, which our call first set in motion; I met {{interview.names}} on {{interview.date}}. I remain interested and would welcome an update when you are able to share one. Thank you."
      - "I am writing to confirm my continued interest in the {{position}} role at {{company}}. After our call, my interview with {{interview.names}} took place on {{interview.date}}, and I would appreciate any update on the timeline. Thank you for your support."
      - "Thanks again for our call and for the introduction to {{interview.names}}, whom I met on {{interview.date}}. I remain interested in the {{position}} role at {{company}} and would be glad to hear where things stand on timing."

  # The optional second, shorter follow-up (2-3 sentences), days after the first, to the lead interviewer.
  nudge:
    standard:
      - "I wanted to follow up once more on my note about the {{position}} role at {{company}}. I remain very interested, and I would be grateful for any update on the timeline when you have one. Thank you."
      - "A short addition to my earlier message: the {{position}} role at {{company}} is still one I would very much like to take on. Any news on the timeline would be welcome, and thank you for your time."
      - "I know hiring decisions can take time, so this is only a short note to say that I remain interested in the {{position}} role at {{company}}. I would appreciate any update you can share, and thank you again."
      - "I am writing again about the {{position}} role at {{company}}, which I am still very interested in. If there is news on the timeline, I would be glad to hear it. Thank you."
      - "I appreciate that you are busy, so I will keep this brief. My interest in the {{position}} role at {{company}} remains strong, and any update on the timeline would be welcome. Thank you for your time."
      - "Since my last message, my interest in the {{position}} role at {{company}} has not changed. Whenever there is an update on next steps, I would be glad to hear it. Thank you for your time."
      - "I am following up once more on the {{position}} role at {{company}}, which I remain keen on. If you are able to share where the process stands, I would appreciate it. Many thanks."
      - "Thank you again for meeting with me on {{interview.date}}. I am still interested in the {{position}} role at {{company}} and would welcome any update you can share on the timeline."
      - "One more brief note on the {{position}} position: I remain interested in joining {{company}} and would value any word on where things stand. Thank you for your consideration."
    senior:
      - "Following up briefly on my earlier note: I remain interested in the {{position}} role at {{company}} and would welcome an update when you have one. Thank you."
      - "This is a brief follow-up on the {{position}} role at {{company}}. My interest stands, and I would appreciate a sense of timing when you can share it. Thank you."
      - "I am following up once more on the {{position}} role at {{company}}. Any update on timing would be welcome. Thank you."
      - "I know the process takes time; I remain interested in the {{position}} role at {{company}} and would value an update when one is available. Thank you."
      - "To pick up on my earlier note, the {{position}} role at {{company}} remains a priority for me, and I would be glad to hear where the process stands. Thank you for your time."
      - "I wanted to reconfirm my interest in the {{position}} role at {{company}}. If there is news on the timeline, I would be glad to hear it. Thank you."
      - "I remain as interested in the {{position}} role at {{company}} as I was after our conversation on {{interview.date}}. An update on next steps would be welcome whenever one is available. Thank you."
      - "One more note on the {{position}} role at {{company}}: I remain interested and would welcome a brief update on timing. Thank you."
      - "Thanks again for your time on {{interview.date}}. I remain interested in the {{position}} role at {{company}} and would appreciate any update on the timeline."

  # The nudge to a recruiter: written so that it never claims a conversation with them.
  nudge_recruiter:
    standard:
      - "I am following up once more on my interview with {{interview.names}} for the {{position}} role at {{company}}. I remain very interested, and I would be grateful for any update on the timeline. Thank you for your help."
      - "A short addition to my earlier message about the {{position}} role: I am still very interested in joining {{company}}, and any news on next steps would be welcome. Thank you."
      - "I know hiring decisions can take time, so this is only a brief note to confirm that I remain interested in the {{position}} role at {{company}}. I would appreciate any update you can share, and thank you again."
      - "I am writing again about the {{position}} position at {{company}}; my interest has not changed since meeting {{interview.names}}. If there is news on the timeline, I would be glad to hear it. Thank you."
      - "I appreciate that you are busy, so I will keep this brief. I remain interested in the {{position}} role at {{company}}, and any update on the timeline would be welcome. Thank you for your help."
      - "Since my last message, I have remained very interested in the {{position}} role at {{company}}. Whenever there is an update on next steps, I would be glad to hear it. Thank you for your help."
      - "I am writing once more about the {{position}} role at {{company}}, which I remain keen on after meeting {{interview.names}}. If you can share where the process stands, I would appreciate it. Many thanks."
      - "Thank you again for your help with my application for the {{position}} role at {{company}}. I am still interested and would welcome any update you can share on the timeline."
      - "One more brief note on the {{position}} position: I remain interested in joining {{company}} and would value any word on where things stand. Thank you for your time."
    senior:
      - "Following up briefly on my earlier note: I remain interested in the {{position}} role at {{company}} and would welcome an update when you have one. Thank you."
      - "This is a brief follow-up on the {{position}} role at {{company}}. My interest stands after meeting {{interview.names}}, and I would appreciate a sense of timing when you can share it. Thank you."
      - "I am following up once more on the {{position}} role at {{company}}. Any update on timing would be welcome. Thank you."
      - "I know the process takes time; I remain interested in the {{position}} role at {{company}} and would value an update when one is available. Thank you."
      - "To pick up on my earlier note, the {{position}} role at {{company}} remains a priority for me, and I would be glad to hear where the process stands. Thank you for your help."
      - "I wanted to reconfirm my interest in the {{position}} role at {{company}}. If there is news on the timeline, I would be glad to hear it. Thank you."
      - "My interest in the {{position}} role at {{company}} has held since I met {{interview.names}} on {{interview.date}}. An update on next steps would be welcome whenever one is available. Thank you."
      - "One more note on the {{position}} role at {{company}}: I remain interested and would welcome a brief update on timing. Thank you."
      - "Thanks again for your help with my candidacy for the {{position}} role at {{company}}. I remain interested and would appreciate any update on the timeline."
"""#
}
