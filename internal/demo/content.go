package demo

// Demo content for `hearth serve --demo`: accounts, circles, pinned guidance and
// stories with their threads. Data only; the seeder reads it.

// person is a demo account.
type person struct{ Handle, Role string } // Role: "member", "moderator" or "admin"

// circleSeed is a demo circle with its facilitator and writing.
type circleSeed struct {
	Slug, Name, Description string
	Private                 bool
	Facilitator             string      // handle; joins and is appointed facilitator
	Members                 []string    // handles that join (authors below join anyway)
	Guidance                []storySeed // posted by the facilitator as kind "guidance" and pinned, in this order
	Stories                 []storySeed // shown newest first: list them newest first
}

// storySeed is a story or guidance with its thread.
type storySeed struct {
	Author, Title, Body, ContentWarning string
	Supporters                          []string // handles that give support
	Replies                             []replySeed
}

// replySeed is a reply and the replies to it.
type replySeed struct {
	Author, Body string
	Supporters   []string
	Replies      []replySeed
	Flags        []flagSeed // so a moderator finds the queue at work
}

// flagSeed is a member's flag on the writing it belongs to.
type flagSeed struct {
	By, Reason, Note string
}

// people are the demo accounts besides the four sign-ins in the README.
var people = []person{
	// Facilitators (willow, of cardiac-recovery, is one of the four sign-ins).
	{"sage", "member"},
	{"linden", "member"},
	{"aspen", "member"},
	{"cedar", "member"},
	// Members.
	{"quietriver", "member"},
	{"morningtea", "member"},
	{"bluejay", "member"},
	{"steadyoak", "member"},
	{"lanternlight", "member"},
	{"fernhill", "member"},
	{"northstar", "member"},
	{"tidepool", "member"},
	{"pebblebrook", "member"},
	{"saltmarsh", "member"},
	{"brightcure", "member"}, // posts the advert the queue holds
	{"harbour", "member"},    // writes the story that reads as a crisis
	{"fieldmouse", "member"}, // a newcomer whose first story waits for a reply
}

// circles are the demo circles.
var circles = []circleSeed{
	{
		Slug:        "cardiac-recovery",
		Name:        "Cardiac recovery",
		Description: "For anyone finding their feet again after a heart attack, heart surgery or a new diagnosis, and for the people who love them. Slow progress counts here.",
		Facilitator: "willow",
		Members:     []string{"maple", "steadyoak", "morningtea", "bluejay", "northstar"},
		Guidance: []storySeed{
			{
				Author: "willow",
				Title:  "Welcome, and what stays in this circle",
				Body: "Hello, I'm willow. I'm a cardiac rehab nurse and I facilitate this circle. A few things keep it a place where people can be honest:\n\n" +
					"What is shared here stays here. Please don't copy, screenshot or retell someone's story outside the circle, even without their handle attached.\n\n" +
					"Use your pseudonym, and keep identifying details out of what you write: no full names, workplaces, hospital or ward names, towns, or photos with faces in them. The same goes for other people. Your surgeon, your neighbour and your partner deserve the same care you do.\n\n" +
					"Nobody here gives medical advice, and please don't take any from a forum. If something in your recovery worries you, talk to your care team. What we can offer each other is the company of people who know what the first weeks feel like.",
				Supporters: []string{"maple", "steadyoak", "morningtea"},
			},
			{
				Author: "willow",
				Title:  "How this circle works, and what to do in a crisis",
				Body: "Share as much or as little as you like. Reading without posting is fine. If your story touches on something hard, like a hospital stay in detail, add a content warning so people can choose when to read it.\n\n" +
					"Give support when a story lands with you, and reply when you have something to add. Disagree kindly, and remember that everyone's recovery runs at its own pace.\n\n" +
					"This circle is not an emergency service. If you have chest pain, trouble breathing or any symptom your team told you to act on, call your local emergency number now, before you post. If you are in crisis and need someone to talk to, findahelpline.com lists free, confidential helplines in your country.\n\n" +
					"The facilitators and moderators are here. If something in the circle worries you, or you're worried about someone, flag it and one of us will look.",
				Supporters: []string{"bluejay", "northstar"},
			},
		},
		Stories: []storySeed{
			// Two stories nobody has answered yet, so willow's home page and the
			// circle's Waiting for a reply list have something to show; the
			// second reads as a crisis, so willow is called and heron's queue
			// starts with it.
			{
				Author: "fieldmouse",
				Title:  "Tired every afternoon. Is that normal?",
				Body: "Hello, I'm new here. I had a stent put in three weeks ago and I'm home and doing everything they said. Mornings are fine, but by two o'clock I'm so tired I could sleep on the kitchen floor.\n\n" +
					"Did anyone else find this? Does it get better, and roughly when? I'll ask the rehab team too, I'd just like to hear from people who've been through it.",
			},
			{
				Author:         "harbour",
				Title:          "Not doing so well tonight",
				ContentWarning: "thoughts of not wanting to be alive",
				Body: "I've read this circle for a few weeks without posting. Eight weeks since the heart attack, and everyone keeps telling me how lucky I am. I don't feel lucky. I can't work yet, I can't sleep, and I feel like a weight on my family.\n\n" +
					"Some nights, like tonight, I don't want to be here anymore. I haven't told anyone that, not even my wife. I don't really know why I'm writing it here, except that you all seem to understand.",
			},
			{
				Author: "steadyoak",
				Title:  "Once around the block",
				Body: "Six weeks since the bypass, and this morning I walked all the way round the block. It's about a third of a mile. Before all this I wouldn't have called it a walk, I'd have called it going to the post box.\n\n" +
					"I counted lampposts. Fourteen. I sat on a low garden wall for a bit at lamppost nine, and an older lady came out and asked if I was all right. I said yes, I'm just new at this. She laughed and said weren't we all.\n\n" +
					"My wife walked about ten steps behind me the whole way, pretending she was looking at gardens. I knew exactly what she was doing and I didn't mind one bit.\n\n" +
					"Tomorrow, the same again. Maybe without the wall.",
				Supporters: []string{"willow", "maple", "northstar", "morningtea", "bluejay"},
				Replies: []replySeed{
					{
						Author:     "willow",
						Body:       "Fourteen lampposts is a real distance six weeks out, and stopping for a rest is the kind of pacing that gets people further in the long run. Keep to the walking plan your rehab team gave you, and tell them how it went at your next session.",
						Supporters: []string{"steadyoak", "maple", "morningtea"},
					},
					{
						Author:     "northstar",
						Body:       "I counted lampposts too. Then bus stops. Then one day I realised I'd walked to the bakery and back and forgotten to count anything at all. That day comes, I promise.",
						Supporters: []string{"steadyoak", "bluejay"},
						Replies: []replySeed{
							{
								Author:     "steadyoak",
								Body:       "Forgetting to count sounds like the best kind of progress. I'm holding you to the bakery.",
								Supporters: []string{"northstar"},
								Replies: []replySeed{
									{
										Author:     "northstar",
										Body:       "The cinnamon buns are worth every step, I can tell you that much. Say hello to the wall for me.",
										Supporters: []string{"steadyoak", "morningtea"},
									},
								},
							},
						},
					},
					{
						Author:     "maple",
						Body:       "The wife ten steps behind made me laugh and then tear up a bit. That's me. I'm the one pretending to look at gardens. Please tell her she's doing a good job.",
						Supporters: []string{"steadyoak", "willow"},
						Replies: []replySeed{
							{
								Author:     "steadyoak",
								Body:       "I told her. She said \"I was NOT following you\" and then asked what time we're going tomorrow.",
								Supporters: []string{"maple", "morningtea"},
							},
						},
					},
				},
			},
			{
				Author: "maple",
				Title:  "Learning not to hover",
				Body: "My husband had his heart attack in the spring. He's doing well now, back at rehab twice a week and grumbling about the exercise bike, which the nurses tell me is a good sign.\n\n" +
					"I'm not doing as well as he is. I lie awake listening to him breathe. If he's quiet in the next room for too long, I find a reason to walk past the door. Last week I asked whether he'd taken his tablets for the third time before lunch, and he said, very gently, that he needs to feel like a grown man in his own house again.\n\n" +
					"He's right. So we made a deal: the pill organiser lives on the kitchen counter where I can see it without asking, and I get one check a day, out loud, no sneaking.\n\n" +
					"Does anyone else on the partner side of this find the fear hasn't caught up with the good news?",
				Supporters: []string{"willow", "morningtea", "steadyoak"},
				Replies: []replySeed{
					{
						Author:     "morningtea",
						Body:       "I'm on the other side of this one. After my stent my daughter rang every evening at seven on the dot. I loved her for it and it drove me up the wall. What helped us was me texting her first, before she could start worrying. Maybe your husband could do the check-in instead of you asking?",
						Supporters: []string{"maple", "willow"},
						Replies: []replySeed{
							{
								Author:     "maple",
								Body:       "Oh, that's clever. It flips it round so he's the one looking after me a little. I'm going to suggest it tonight.",
								Supporters: []string{"morningtea"},
								Replies: []replySeed{
									{
										Author:     "morningtea",
										Body:       "Let us know how it goes. My daughter still rings, but now it's on Sundays and it's mostly about her cat.",
										Supporters: []string{"maple", "steadyoak"},
									},
								},
							},
						},
					},
					{
						Author:     "willow",
						Body:       "What you're describing is very common for partners, and your wellbeing deserves care too, not just his recovery. Many cardiac rehab programmes have a session or group for family members, so it's worth asking his team whether there's one you could join. You're welcome here either way.",
						Supporters: []string{"maple", "bluejay"},
					},
					{
						Author:     "steadyoak",
						Body:       "From the man-at-home point of view: my wife's worry never felt like nagging when she told me she was scared. It only felt like nagging when she pretended she wasn't. Your deal sounds fair to me.",
						Supporters: []string{"maple", "morningtea"},
					},
				},
			},
			{
				Author:         "bluejay",
				Title:          "What nobody told me about intensive care",
				ContentWarning: "describes a hospital stay in detail",
				Body: "I want to write this down while I still remember it clearly, in case it helps someone who's just come home.\n\n" +
					"I was in intensive care for four days after my surgery. I remember the noise most: a machine beeping on my left, another answering it on my right, all night, like two birds arguing. I had tubes in places I didn't know you could have tubes, and I couldn't talk for the first day, so I wrote \"water?\" on a clipboard about forty times.\n\n" +
					"The dreams were the strangest part. Vivid, looping, sometimes frightening, and for a while I couldn't tell them from what was real. There was a night nurse who held my hand and told me the time every hour because I kept asking. I never properly learned her name.\n\n" +
					"Since I got home I've felt oddly guilty for crying about it, when I'm the one who's mending. I'm working on that.",
				Supporters: []string{"northstar", "steadyoak", "maple", "willow"},
				Replies: []replySeed{
					{
						Author:     "northstar",
						Body:       "The dreams. I thought I was losing my mind and didn't tell anyone for weeks because I was embarrassed. Thank you for saying it out loud.",
						Supporters: []string{"bluejay", "morningtea"},
						Replies: []replySeed{
							{
								Author:     "bluejay",
								Body:       "I didn't tell anyone either, until my daughter asked why I'd started sleeping with the radio on. It helps to hear I wasn't the only one.",
								Supporters: []string{"northstar"},
								Replies: []replySeed{
									{
										Author:     "willow",
										Body:       "You're very much not the only ones. Strange dreams and muddled nights are common after intensive care, and they're worth mentioning to your care team. Some hospitals run follow-up clinics for people who've been in intensive care, and they'd want to know how you're doing.",
										Supporters: []string{"bluejay", "northstar", "steadyoak"},
									},
								},
							},
						},
					},
					{
						Author:     "steadyoak",
						Body:       "Crying about it isn't ingratitude. It's your body and mind catching up on something that happened very fast. You're allowed both the relief and the tears.",
						Supporters: []string{"bluejay", "maple"},
					},
					{
						Author:     "maple",
						Body:       "The clipboard saying \"water?\" forty times got me. I hope that night nurse knows, somehow, how much her hourly time checks mattered.",
						Supporters: []string{"bluejay"},
					},
				},
			},
			{
				Author: "morningtea",
				Title:  "Scared of my own heartbeat",
				Body: "Four months since my stent, and the heart itself is doing fine, according to everyone who's looked at it. My head is another matter.\n\n" +
					"Every flutter, every skipped-feeling beat, I freeze and wait. I bought one of those watches that shows your heart rate and I was checking it maybe fifty times a day, including in the middle of a film, including in the middle of the night. Last weekend I put it in a drawer and had the most ordinary two days I've had since spring.\n\n" +
					"At rehab on Tuesday I was on the bike next to a man in his late seventies who whistles the whole time. He told me he stopped listening for his heart years ago because \"it knows its job\". I'm not there yet, but I'd like to be.\n\n" +
					"I've made a list of questions for my next appointment so I stop carrying them round all week.",
				Supporters: []string{"willow", "steadyoak", "northstar", "maple"},
				Replies: []replySeed{
					{
						Author:     "willow",
						Body:       "A list of questions is a brilliant idea. Being on high alert for every heartbeat is something many people feel after a cardiac event, and your care team would rather hear about it than have you carry it alone, so do put it on the list. They can go through what needs a call and what doesn't, for you specifically.",
						Supporters: []string{"morningtea", "steadyoak"},
					},
					{
						Author:     "steadyoak",
						Body:       "The watch in a drawer! I did the same with the blood pressure cuff. It lives in the cupboard now and comes out when the nurse says so.",
						Supporters: []string{"morningtea"},
						Replies: []replySeed{
							{
								Author:     "morningtea",
								Body:       "The cupboard is where worry goes to have a rest. I like that a lot, and I'm stealing it.",
								Supporters: []string{"steadyoak", "maple"},
							},
						},
					},
					{
						Author:     "northstar",
						Body:       "I want to meet the whistling man. \"It knows its job\" is going on a sticky note on my fridge.",
						Supporters: []string{"morningtea", "bluejay"},
					},
				},
			},
		},
	},
	{
		Slug:        "addiction-recovery",
		Name:        "Addiction recovery",
		Description: "A private circle for people in recovery from alcohol, drugs, gambling or anything else that had a hold on them, whatever day they're on. You join by invitation, so you can say here what you can't say anywhere else.",
		Private:     true,
		Facilitator: "sage",
		Members:     []string{"maple", "quietriver", "lanternlight", "tidepool"},
		Guidance: []storySeed{
			{
				Author: "sage",
				Title:  "Confidentiality comes first in this circle",
				Body: "Hello, I'm sage. I'm an addictions counsellor and I facilitate this circle.\n\n" +
					"This circle is private because what people share here could cost them a job, a relationship or a court case if it got out. So: what is said here stays here. Don't repeat it, screenshot it or talk about it outside, even in general terms.\n\n" +
					"Use your pseudonym, and keep identifying details out: not your real name, and not the name of your employer, your meeting, your treatment centre or your town. Please give other people the same protection. If you think you recognise someone here, keep it to yourself and treat them like anyone else.\n\n" +
					"If you've posted something you now wish you hadn't, you can edit or delete it at any time.",
				Supporters: []string{"maple", "quietriver", "lanternlight", "tidepool"},
			},
			{
				Author: "sage",
				Title:  "Day counts, slips, and what to do in a crisis",
				Body: "Day counts are welcome here, and so are people who don't count. Both are recovery.\n\n" +
					"If you slip, you are still welcome. Post about it if you want to; nobody here will lecture you, and plenty of people here have been exactly where you are. Please don't vanish on us.\n\n" +
					"Nobody here gives medical advice. If you're thinking about reducing or stopping something on your own, talk to your care team or a doctor first, because with some substances that matters.\n\n" +
					"This circle is not an emergency service. If you or someone with you is in danger right now, call your local emergency number. If you are in crisis and need to talk to someone, findahelpline.com lists free, confidential helplines in your country, including ones for alcohol, drugs and gambling.\n\n" +
					"I read this circle most days, and the moderators keep an eye on it too. If something here worries you, flag it and one of us will look.",
				Supporters: []string{"lanternlight", "tidepool"},
			},
		},
		Stories: []storySeed{
			{
				Author: "quietriver",
				Title:  "Day 100",
				Body: "I've been marking days on the calendar on the fridge with a pencil. Just a little tick, every night before bed. Today's tick is number one hundred, and I stood there in the kitchen holding the pencil for a good while.\n\n" +
					"Things I've noticed: I remember the end of films now. My hands don't shake when I sign things. I bought proper coffee beans with some of the money I'd have spent, and a grinder, and the grinding has become a little morning ritual that's mine.\n\n" +
					"Things that are still hard: Sunday afternoons. Driving past the corner shop. The first time someone at work offered me a drink and I had to say \"not for me\" like it was nothing.\n\n" +
					"I'm not sure what I'm asking for. I think I just wanted someone to know it's one hundred.",
				Supporters: []string{"sage", "maple", "lanternlight", "tidepool"},
				Replies: []replySeed{
					{
						Author:     "sage",
						Body:       "One hundred ticks in pencil. I hope that calendar stays up for a long time. Remembering the end of films is one of my favourite things people notice, and it's a real one.",
						Supporters: []string{"quietriver", "maple", "lanternlight"},
					},
					{
						Author:     "lanternlight",
						Body:       "I know that standing-in-the-kitchen feeling. Congratulations, really. What coffee did you get? I need a morning ritual that isn't scrolling.",
						Supporters: []string{"quietriver"},
						Replies: []replySeed{
							{
								Author:     "quietriver",
								Body:       "Something dark from a little roaster that smells like toast. The grinder is loud enough to wake the house, which my partner has opinions about. Honestly, any bean will do. It's the five quiet minutes that matter.",
								Supporters: []string{"lanternlight", "tidepool"},
								Replies: []replySeed{
									{
										Author:     "lanternlight",
										Body:       "Five quiet minutes I can do. Buying a grinder this weekend. Your partner has my sympathy.",
										Supporters: []string{"quietriver"},
									},
								},
							},
						},
					},
					{
						Author:     "tidepool",
						Body:       "Saying \"not for me\" like it was nothing is one of the hardest bits of acting I've ever done. It gets less like acting. Well done on a hundred.",
						Supporters: []string{"quietriver", "sage"},
					},
					{
						Author:     "maple",
						Body:       "Someone knows it's one hundred. Several someones, by the look of it. Here's to the next tick.",
						Supporters: []string{"quietriver", "lanternlight"},
					},
				},
			},
			{
				Author:         "lanternlight",
				Title:          "I slipped, and I came back",
				ContentWarning: "mentions of relapse",
				Body: "I'm writing this before I talk myself out of it.\n\n" +
					"I had 212 days. Then my cousin's wedding, a long day, an open bar, and an uncle who kept saying \"just the one for the toast\". I had the one, and then I didn't stop at one. I woke up the next morning with that old, heavy feeling I thought I'd left behind, and for about a day I decided I'd thrown it all away and couldn't face coming back here.\n\n" +
					"Then I remembered sage's post about not vanishing.\n\n" +
					"So I'm back, on day three. I rang my sponsor, I told my partner, and I've written down what I'll do differently at the next family do, starting with driving myself so I can leave when I want.\n\n" +
					"212 days happened. They're not gone just because the number reset.",
				Supporters: []string{"sage", "quietriver", "maple", "tidepool"},
				Replies: []replySeed{
					{
						Author:     "sage",
						Body:       "Thank you for coming back, and for writing this. Everything you learned in those 212 days is still yours, and the plan you've made for next time is that learning at work. Day three is a good day to be on.",
						Supporters: []string{"lanternlight", "quietriver", "maple", "tidepool"},
					},
					{
						Author:     "quietriver",
						Body:       "\"Just the one for the toast.\" I have an uncle like that too. Driving yourself is such a good idea. Having the car keys means having the exit.",
						Supporters: []string{"lanternlight"},
						Replies: []replySeed{
							{
								Author:     "lanternlight",
								Body:       "That's exactly it. Last time I was stuck there until the last lift home. Never again.",
								Supporters: []string{"quietriver"},
							},
						},
					},
					{
						Author:     "maple",
						Body:       "I read this twice. The last line especially. I'm keeping it for the day I might need it.",
						Supporters: []string{"lanternlight", "sage"},
						Replies: []replySeed{
							{
								Author:     "lanternlight",
								Body:       "Keep it. And if that day comes, come back here and tell us. We'll still be here.",
								Supporters: []string{"maple", "tidepool"},
								Replies: []replySeed{
									{
										Author:     "maple",
										Body:       "Deal. And the same goes for you, every single time. That's how this circle works, isn't it?",
										Supporters: []string{"lanternlight", "sage"},
									},
								},
							},
						},
					},
					{
						Author:     "tidepool",
						Body:       "Thank you for being this honest. It makes it easier for the rest of us to be honest too.",
						Supporters: []string{"lanternlight", "sage"},
					},
				},
			},
			{
				Author: "maple",
				Title:  "Friday evenings are the hard part",
				Body: "Fifty-eight days. The mornings are fine now, better than fine. It's Friday evenings that get me. For about fifteen years, Friday at six meant a bottle opened while I cooked, and my whole body still knows what time it is.\n\n" +
					"So I've been building a new Friday. A fancy bottle of sparkling water with a slice of lime, in the good glass. A long bath with the radio on. Ringing my oldest friend, who doesn't drink much either, so we can complain about our weeks.\n\n" +
					"It's not the same, and some weeks it feels a bit silly. But last Friday I noticed at half past eight that I hadn't thought about it once since the bath. That has never happened before.\n\n" +
					"What does everyone else do with the hour that used to belong to the drink?",
				Supporters: []string{"sage", "tidepool", "quietriver", "lanternlight"},
				Replies: []replySeed{
					{
						Author:     "tidepool",
						Body:       "For me it was the hour after the kids went to bed, when the betting apps used to come out. I took up jigsaws. A thousand pieces of a lighthouse. It sounds daft, but my hands needed something to do.",
						Supporters: []string{"maple", "quietriver"},
						Replies: []replySeed{
							{
								Author:     "maple",
								Body:       "A lighthouse jigsaw doesn't sound daft at all. I might borrow that for the part of Friday after the bath.",
								Supporters: []string{"tidepool"},
							},
						},
					},
					{
						Author:     "sage",
						Body:       "Noticing at half past eight that you hadn't thought about it is a big moment, and worth marking. The new routine doesn't have to feel meaningful yet. It just has to be there often enough for your body to learn a new six o'clock.",
						Supporters: []string{"maple", "lanternlight"},
					},
					{
						Author:     "quietriver",
						Body:       "I cook something that takes ages. Risotto, with all the stirring. Forty minutes where I'm busy, the kitchen smells good and nobody can interrupt me.",
						Supporters: []string{"maple"},
						Replies: []replySeed{
							{
								Author:     "lanternlight",
								Body:       "Risotto as a recovery tool. I love this circle. I'm trying it this Friday and will report back on whether I can stir and not sulk at the same time.",
								Supporters: []string{"quietriver", "maple"},
							},
						},
					},
				},
			},
			{
				Author: "tidepool",
				Title:  "Telling my sister",
				Body: "I finally told my sister about the gambling. Not the tidy version I've been giving everyone, the real one: the loans, the lies about where money went, the nights on my phone in the bathroom so nobody would see the screen.\n\n" +
					"I'd rehearsed it for weeks. In my head she shouted, or cried, or told our mum. What actually happened is she went very quiet, got up and put the kettle on, then sat back down and said, \"Right. What do you need from me?\"\n\n" +
					"We've agreed she'll go over my bank statements with me once a month for a while. It's humbling, being forty-one and having your little sister check your spending. But it's also the first time in years I haven't been carrying it on my own.\n\n" +
					"If you're rehearsing a conversation like this, I hope yours goes as kindly as mine did.",
				Supporters: []string{"sage", "maple", "lanternlight"},
				Replies: []replySeed{
					{
						Author:     "sage",
						Body:       "The kettle, and \"What do you need from me?\" That's a sister worth having, and it took courage to give her the real version. Accountability you've chosen together, like the monthly statements, tends to hold up far better than the kind that's imposed.",
						Supporters: []string{"tidepool", "maple"},
					},
					{
						Author:     "maple",
						Body:       "I'm one of the people rehearsing. Drink, not money, and my brother, not a sister. This gave me a bit of hope that the scene in my head isn't the one that will happen.",
						Supporters: []string{"tidepool", "lanternlight"},
						Replies: []replySeed{
							{
								Author:     "tidepool",
								Body:       "The one in my head was much worse than the real one. I hope yours is the same. Pick a time when neither of you is in a rush, and maybe have the kettle ready.",
								Supporters: []string{"maple", "sage"},
							},
						},
					},
					{
						Author:     "lanternlight",
						Body:       "Being checked on by a younger sibling is a special kind of humbling. Mine still reminds me she was right about my ex. Worth it, though.",
						Supporters: []string{"tidepool"},
					},
				},
			},
		},
	},
	{
		Slug:        "grief-and-loss",
		Name:        "Grief and loss",
		Description: "For anyone living with the loss of someone they love, whether it was last week or twenty years ago. There's no right way to grieve here, and no deadline.",
		Facilitator: "linden",
		Members:     []string{"maple", "morningtea", "lanternlight", "fernhill"},
		Guidance: []storySeed{
			{
				Author: "linden",
				Title:  "Keeping this circle safe for everyone",
				Body: "Hello, I'm linden. I'm a bereavement counsellor and I facilitate this circle.\n\n" +
					"What's shared here stays here. Grief brings out the most private parts of a life, so please don't repeat anyone's story outside the circle.\n\n" +
					"Use your pseudonym, and leave out details that could identify you or the person you've lost: full names, dates of birth, the name of a hospital, hospice, school or town. \"My husband\" or \"my friend\" is plenty; we'll still know who you mean. Please do the same for anyone else you mention.\n\n" +
					"You don't need to write anything to belong here. Reading quietly counts.",
				Supporters: []string{"fernhill", "morningtea", "maple"},
			},
			{
				Author: "linden",
				Title:  "How this circle works, and if you are struggling",
				Body: "Grief doesn't run in straight lines. Anniversaries, birthdays, a song in a shop: people here will understand if you come in after a good month and say it has all come back.\n\n" +
					"If your story is about a loss others may need to prepare for, such as the loss of a child or a sudden loss, please add a content warning.\n\n" +
					"We listen more than we advise. If you share what helped you, share it as your experience rather than a rule.\n\n" +
					"This circle is not an emergency service. If you or someone near you is in danger, call your local emergency number. If you are in crisis and need to talk to someone now, findahelpline.com lists free, confidential helplines in your country, day and night.\n\n" +
					"I read here regularly and the moderators do too. If something worries you, or you're worried about someone, flag it and we'll look.",
				Supporters: []string{"lanternlight", "morningtea"},
			},
		},
		Stories: []storySeed{
			{
				Author: "fernhill",
				Title:  "His coat is still on the hook",
				Body: "Eight months since my husband passed, and his waxed jacket is still on the hook by the back door. I walk past it every time I take the bins out. Some days I put my face in it, because it still smells faintly of him and of the garden.\n\n" +
					"My sister says it might help to start sorting his things. She means well, and she's probably right about some of it. I've given his books to the charity shop and his tools to our neighbour, who actually uses them. But the coat stays.\n\n" +
					"I used to think that meant I was stuck. Lately I've started to think it's just where he lives now, a little bit, and that's allowed.\n\n" +
					"Does anyone else have the one thing they're keeping?",
				Supporters: []string{"linden", "maple", "morningtea", "lanternlight"},
				Replies: []replySeed{
					{
						Author:     "maple",
						Body:       "Dad's reading glasses are still on the windowsill by his chair. I dust round them. I don't think I'll ever move them, and I've stopped apologising for it.",
						Supporters: []string{"fernhill", "linden"},
						Replies: []replySeed{
							{
								Author:     "fernhill",
								Body:       "Dusting round them. Yes. That's exactly the feeling. Thank you for making me feel less odd about it.",
								Supporters: []string{"maple"},
							},
						},
					},
					{
						Author:     "linden",
						Body:       "There's no schedule for sorting someone's things, whatever well-meaning people say. Many people keep one or two things for years, and that can be part of carrying someone with you rather than a sign of being stuck. You'll know if and when it's time, and it's fine if that time never comes for the coat.",
						Supporters: []string{"fernhill", "morningtea", "maple"},
					},
					{
						Author:     "morningtea",
						Body:       "I kept my mum's cardigan for years. Eventually I had a cushion made from it, and it sits on the sofa where I can hug it when the news is bad. Not a suggestion, just something that happened for me a long time later.",
						Supporters: []string{"fernhill"},
						Replies: []replySeed{
							{
								Author:     "fernhill",
								Body:       "A cushion. I'd never have thought of it, and I'm not ready, but I'm putting it in the drawer of ideas for later.",
								Supporters: []string{"morningtea", "lanternlight"},
							},
						},
					},
					{
						Author:     "lanternlight",
						Body:       "His tools going to a neighbour who actually uses them is lovely. A little bit of him is still fixing things on your street.",
						Supporters: []string{"fernhill"},
					},
				},
			},
			{
				Author:         "morningtea",
				Title:          "Twenty years on, I still bake his cake",
				ContentWarning: "loss of a child",
				Body: "My son would have been twenty-three this week. We lost him when he was two, to an illness that came on fast, and for a long time I couldn't imagine there would ever be a version of me that could write that sentence calmly.\n\n" +
					"Every year on his birthday I bake a lemon drizzle cake, because the only cake he ever properly ate was a slice of lemon drizzle off my plate, and he got it all over his face and the dog. The first few years I baked it and couldn't eat it. Now my grandchildren help me. They know it's for the uncle they never met, and they argue over who gets to do the drizzle.\n\n" +
					"I'm writing this for anyone whose loss is new. It doesn't shrink, exactly. But life grows around it, bit by bit, until there's room to breathe again.\n\n" +
					"The cake's in the oven.",
				Supporters: []string{"linden", "fernhill", "maple", "lanternlight"},
				Replies: []replySeed{
					{
						Author:     "linden",
						Body:       "Thank you for sharing him with us, and for writing this for people whose loss is still new. \"Life grows around it\" is how many people describe it, and it means more coming from where you are now. I hope the drizzle argument was a good one.",
						Supporters: []string{"morningtea", "fernhill", "maple", "lanternlight"},
					},
					{
						Author:     "fernhill",
						Body:       "The grandchildren arguing over the drizzle made me smile through tears. Happy birthday to your boy.",
						Supporters: []string{"morningtea"},
						Replies: []replySeed{
							{
								Author:     "morningtea",
								Body:       "Thank you. The youngest won, and most of it went on the counter. He'd have approved.",
								Supporters: []string{"fernhill", "maple"},
							},
						},
					},
					{
						Author:     "lanternlight",
						Body:       "I needed to read \"room to breathe again\" today. I'm eleven months in and there isn't much room yet, but I'll hold on to the idea that it comes.",
						Supporters: []string{"morningtea"},
						Replies: []replySeed{
							{
								Author:     "morningtea",
								Body:       "Eleven months is still so early. Be gentle with yourself. It comes slowly, and usually when you're not looking.",
								Supporters: []string{"lanternlight", "linden"},
							},
						},
					},
				},
			},
			{
				Author: "maple",
				Title:  "Dad's tomatoes",
				Body: "Dad passed last autumn. He grew tomatoes every summer for as long as I can remember, in a little lean-to greenhouse that's really just some old windows and a lot of hope.\n\n" +
					"This spring I couldn't stand the thought of it sitting empty, so I sowed seeds from the packet he'd kept in the shed, with his handwriting on it. I had no idea what I was doing. Three plants didn't make it, which he'd have found very funny. But seven did, and this week there were the first green fruits, hard and small as marbles.\n\n" +
					"I talk to them in the evenings. Mostly I tell them what Dad would have said: too much water, not enough patience.\n\n" +
					"I think this is the first time grief has felt like something I'm doing rather than something that's happening to me.",
				Supporters: []string{"linden", "fernhill", "morningtea"},
				Replies: []replySeed{
					{
						Author:     "fernhill",
						Body:       "Seeds from his own packet, with his handwriting on it. That's a beautiful way to keep him close. I hope you get a glut.",
						Supporters: []string{"maple"},
					},
					{
						Author:     "linden",
						Body:       "What you describe at the end, grief as something you're doing, is a lovely way to put it. Tending something of theirs is one of the ways many people find themselves carrying a loss rather than only bracing against it.",
						Supporters: []string{"maple", "morningtea"},
					},
					{
						Author:     "lanternlight",
						Body:       "My brother was the gardener in our family too. I've got his rosemary in a pot on my step, and I'm scared to touch it in case I get it wrong.",
						Supporters: []string{"maple"},
						Replies: []replySeed{
							{
								Author:     "maple",
								Body:       "Rosemary is tougher than it looks, or so I keep reading. I think they forgive us a bit while we learn. Mine certainly have.",
								Supporters: []string{"lanternlight", "fernhill"},
								Replies: []replySeed{
									{
										Author:     "lanternlight",
										Body:       "Okay. I'll give it a small trim this weekend, tell it who it belonged to, and report back if it sulks.",
										Supporters: []string{"maple", "linden"},
									},
								},
							},
						},
					},
				},
			},
			{
				Author: "lanternlight",
				Title:  "A year of firsts, nearly done",
				Body: "My brother passed eleven months ago. Next month is the anniversary, and people keep telling me \"the first year is the hardest\", as if there's a finish line.\n\n" +
					"I've done his first birthday without him, the first Christmas, the first time his football team won something and I reached for my phone to text him. I've still got that message half-typed. I don't think I'll ever send it or delete it.\n\n" +
					"I don't really know what I want to do on the day. My mum wants a lunch. I think I want to walk up the hill he used to drag me up when we were kids, on my own, with a flask of the awful sweet tea he liked.\n\n" +
					"Maybe I can do both. Has anyone found a way to mark an anniversary that felt right?",
				Supporters: []string{"linden", "morningtea", "fernhill", "maple"},
				Replies: []replySeed{
					{
						Author:     "linden",
						Body:       "You can do both. Many people find that marking the day in more than one way, one with family and one on their own, lets them honour different parts of the relationship. The sweet tea on the hill sounds just right.",
						Supporters: []string{"lanternlight", "fernhill"},
					},
					{
						Author:     "morningtea",
						Body:       "For the first anniversary I planted a tree. For the second I did nothing at all, and that was fine too. Let it change from year to year.",
						Supporters: []string{"lanternlight", "maple"},
					},
					{
						Author:     "fernhill",
						Body:       "That half-typed message. I have one too, sitting in my phone under the shopping list. It stays, and so does yours.",
						Supporters: []string{"lanternlight"},
						Replies: []replySeed{
							{
								Author:     "lanternlight",
								Body:       "Under the shopping list. Somehow that's the most human thing I've read all week. Thank you.",
								Supporters: []string{"fernhill", "maple"},
							},
						},
					},
				},
			},
		},
	},
	{
		Slug:        "cancer-survivors",
		Name:        "Cancer survivors",
		Description: "For people living with and after cancer, in treatment, in remission or somewhere in between, and for the people beside them. Scans, wigs, bad days and good news are all welcome.",
		Facilitator: "aspen",
		Members:     []string{"northstar", "quietriver", "pebblebrook", "fernhill"},
		Guidance: []storySeed{
			{
				Author: "aspen",
				Title:  "What stays in this circle",
				Body: "Hello, I'm aspen. I'm an oncology nurse and I facilitate this circle.\n\n" +
					"What is shared here stays here. Please don't repeat anyone's story outside the circle or share screenshots of it.\n\n" +
					"Use your pseudonym and keep identifying details out of your posts: your full name, your hospital or treatment centre, your consultant's name, your town, or photos that show your face or a wristband. The same goes for anyone you mention.\n\n" +
					"People here are at very different points: newly diagnosed, mid-treatment, years out, or living with cancer long term. Please keep that in mind when you share news, good or hard.",
				Supporters: []string{"pebblebrook", "northstar"},
			},
			{
				Author: "aspen",
				Title:  "How this circle works, and what to do in a crisis",
				Body: "This is a place for experience, not medical advice, and that includes from me. Everyone's cancer and treatment are different. If something in your body or your treatment worries you, talk to your care team or the out-of-hours number they gave you.\n\n" +
					"Add a content warning if your story describes treatment in detail, a recurrence or a loss, so people can choose when to read it.\n\n" +
					"If you are unwell and it can't wait, call your local emergency number. If you are in crisis and need someone to talk to, findahelpline.com lists free, confidential helplines in your country.\n\n" +
					"I read here regularly, and the moderators look in too. If something worries you, flag it and one of us will follow up.",
				Supporters: []string{"quietriver", "fernhill"},
			},
		},
		Stories: []storySeed{
			{
				Author: "pebblebrook",
				Title:  "Scanxiety, round six",
				Body: "Scan day was Thursday. The week before, I cleaned the oven at midnight, reorganised the spice rack alphabetically, and snapped at my partner for breathing loudly. Classic scan week.\n\n" +
					"It's two years since treatment ended, and you'd think I'd be used to it by now. I'm not. The waiting room still smells of the same hand gel, and it takes me right back.\n\n" +
					"The results came through this morning: clear. I sat in the car park for ten minutes just breathing before I could drive.\n\n" +
					"We're celebrating with chips on the seafront tonight. Next scan in six months, and I'm already trying not to think about it.\n\n" +
					"If anyone's in their scan week right now: the oven doesn't need cleaning. But I understand if it does.",
				Supporters: []string{"aspen", "northstar", "quietriver", "fernhill"},
				Replies: []replySeed{
					{
						Author:     "aspen",
						Body:       "Congratulations on a clear scan, and thank you for naming scan week so well. That anxiety before a scan is very real, however many years out you are. Enjoy the chips.",
						Supporters: []string{"pebblebrook", "northstar", "fernhill"},
					},
					{
						Author:     "northstar",
						Body:       "An alphabetical spice rack! Mine was regrouting the bathroom. I'm eight days from my next one. Reading this helped more than the grout did.",
						Supporters: []string{"pebblebrook"},
						Replies: []replySeed{
							{
								Author:     "pebblebrook",
								Body:       "Eight days. Come back and tell us how you're doing in the waiting, not just the result. We'll be here for both.",
								Supporters: []string{"northstar", "aspen"},
								Replies: []replySeed{
									{
										Author:     "northstar",
										Body:       "I will. For what it's worth, the bathroom has never looked better, and I've started on the kitchen tiles. Send help.",
										Supporters: []string{"pebblebrook", "quietriver"},
									},
								},
							},
						},
					},
					{
						Author:     "quietriver",
						Body:       "Sitting in the car park just breathing. I did that too. Some of the biggest moments of my life have happened in hospital car parks.",
						Supporters: []string{"pebblebrook", "fernhill"},
					},
				},
			},
			{
				Author: "northstar",
				Title:  "Ringing the bell felt strange",
				Body: "Last week I finished radiotherapy and rang the bell at the end of the corridor. Everybody clapped. The radiographers had made a card. My sister filmed it.\n\n" +
					"I expected to feel like it was over. Instead I drove home and sat in the kitchen feeling oddly empty, like I'd been let go of. For months there was a plan and a team and somewhere to be every weekday at twenty past ten. Now there's just me, a follow-up letter and a lot of quiet.\n\n" +
					"I feel ungrateful even writing this. So many people would give anything to ring that bell.\n\n" +
					"I suppose I'm asking whether this is normal, and what the months after the bell were like for you.",
				Supporters: []string{"aspen", "pebblebrook", "fernhill", "quietriver"},
				Replies: []replySeed{
					{
						Author:     "aspen",
						Body:       "It's very normal, and you're far from ungrateful. The end of treatment can be its own kind of hard: the routine and the close contact with the team stop, and the feelings you had to set aside come in to fill the space. Ask your care team what they offer after treatment; many places have support for exactly this stage.",
						Supporters: []string{"northstar", "pebblebrook", "fernhill"},
					},
					{
						Author:     "pebblebrook",
						Body:       "The months after the bell were harder for me than treatment in some ways. What helped was giving the weekdays a new small shape. I went swimming at the time of my old appointment, just so twenty past ten meant something.",
						Supporters: []string{"northstar"},
						Replies: []replySeed{
							{
								Author:     "northstar",
								Body:       "Twenty past ten as swim time. I love that, and the pool near me opens at ten, so I've no excuse. Going on Monday.",
								Supporters: []string{"pebblebrook"},
								Replies: []replySeed{
									{
										Author:     "pebblebrook",
										Body:       "Monday it is. Report back, and don't forget your goggles like I did the first time.",
										Supporters: []string{"northstar", "quietriver"},
									},
								},
							},
						},
					},
					{
						Author:     "fernhill",
						Body:       "My husband said almost the same thing after his last treatment, that the bell felt like being let go of. It took him a few months, but he found his footing and a lot of good ordinary days. I hope you find yours.",
						Supporters: []string{"northstar", "aspen"},
					},
					{
						Author: "brightcure",
						Body:   "Radiotherapy only treats the symptoms. Apricot kernels cleared my cousin's cancer in six weeks, and my shop sends them anywhere. Message me for the discount code.",
						Flags: []flagSeed{
							{By: "pebblebrook", Reason: "misinformation", Note: "Apricot kernels can poison people. This is selling a false cure to people in treatment."},
							{By: "northstar", Reason: "spam"},
							{By: "quietriver", Reason: "misinformation"},
						},
					},
				},
			},
			{
				Author: "quietriver",
				Title:  "Hair, growing back curly",
				Body: "Nobody warned me my hair might come back different. It's five months since my last chemo, and what's growing in is soft, grey at the temples and, unmistakably, curly. I have had poker-straight hair for forty-six years.\n\n" +
					"My nephew calls it my lamb look. I've stopped wearing the hat indoors. Yesterday I caught my reflection in a shop window and for a second didn't recognise myself, and then I laughed, because honestly, it suits me better.\n\n" +
					"It's a small thing. But for months every change in the mirror was something being taken away. This is the first one that feels like something being given.\n\n" +
					"Did anyone else get a surprise when it grew back?",
				Supporters: []string{"pebblebrook", "northstar", "aspen", "fernhill"},
				Replies: []replySeed{
					{
						Author:     "pebblebrook",
						Body:       "Mine came back darker and thicker, and my eyebrows took their sweet time. I'm glad you laughed at the shop window. That laugh means something.",
						Supporters: []string{"quietriver"},
					},
					{
						Author:     "aspen",
						Body:       "Lots of people notice a new texture or colour when their hair grows back, and it may stay or change again over time. Either way, I love that this one feels like something given. Thank you for sharing a lighter moment; the circle needs those too.",
						Supporters: []string{"quietriver", "northstar"},
					},
					{
						Author:     "northstar",
						Body:       "Lamb look is a wonderful name. I'd ask for a photo, but I know we don't do those here, so I'm picturing it instead.",
						Supporters: []string{"quietriver", "fernhill"},
						Replies: []replySeed{
							{
								Author:     "quietriver",
								Body:       "Picture a startled sheep wearing reading glasses and you're about there. My nephew says that's generous.",
								Supporters: []string{"northstar", "pebblebrook"},
							},
						},
					},
				},
			},
		},
	},
	{
		Slug:        "after-the-disaster",
		Name:        "Rebuilding after a disaster",
		Description: "For anyone whose home, town or sense of safety was shaken by a flood, fire, storm or earthquake. Rebuilding takes longer than anyone tells you, and you don't have to do it alone.",
		Facilitator: "cedar",
		Members:     []string{"saltmarsh", "tidepool", "bluejay", "steadyoak"},
		Guidance: []storySeed{
			{
				Author: "cedar",
				Title:  "What stays here, and staying hard to identify",
				Body: "Hello, I'm cedar. I'm a counsellor who works with people after disasters, and I facilitate this circle.\n\n" +
					"What's shared here stays here. Please don't repeat anyone's story outside the circle.\n\n" +
					"Disasters make people easy to find: one street name, a photo of a house or a fundraiser link is enough. Use your pseudonym, and please don't post addresses, street names, photos of your home, claim or case numbers, or the names of your insurer, your landlord or anyone else involved. Give other people's details the same care.\n\n" +
					"If you want to talk about where it happened, \"our town\" or \"the river\" is enough.",
				Supporters: []string{"tidepool", "saltmarsh", "bluejay"},
			},
			{
				Author: "cedar",
				Title:  "How this circle works, and what to do in a crisis",
				Body: "Some of you are weeks out, some years. Some lost everything, some lost a fence and a sense of safety. All of it counts here, and nobody needs to compare.\n\n" +
					"If your story describes the event itself in detail, such as fire, water or injuries, please add a content warning.\n\n" +
					"Practical tips about forms and rebuilding are welcome, shared as your own experience. For anything about your health, talk to your doctor or care team.\n\n" +
					"If you are in danger now, or another emergency is happening, call your local emergency number first. If you are in crisis and need to talk to someone, findahelpline.com lists free, confidential helplines in your country.\n\n" +
					"I read here regularly and the moderators do too. If anything worries you, flag it and one of us will look.",
				Supporters: []string{"steadyoak", "bluejay"},
			},
		},
		Stories: []storySeed{
			{
				Author:         "saltmarsh",
				Title:          "The smell of smoke",
				ContentWarning: "describes losing a home to a wildfire",
				Body: "It's fourteen months since the fire came over the ridge and took our house and most of our road. We got out with the dog, the car, a bag of documents and, for some reason, a colander. I still don't know why I grabbed the colander.\n\n" +
					"We're in a rented place now, and the rebuild has started. Most days I'm fine. But last week a neighbour lit a bonfire two gardens over, and the first breath of woodsmoke put me straight back on that road, with the sky orange and the radio going. I had to sit down on the back step and count the fence posts until my heart slowed.\n\n" +
					"I used to love the smell of a campfire. I'd like to love it again someday.\n\n" +
					"I'm keeping the colander. It's the only thing left from the old kitchen.",
				Supporters: []string{"cedar", "tidepool", "bluejay", "steadyoak"},
				Replies: []replySeed{
					{
						Author:     "cedar",
						Body:       "Thank you for sharing this. A smell or a sound taking you straight back is a very common response after a fire, and sitting down and counting was a good way to steady yourself. If it happens often or gets in the way of daily life, talk to your doctor or care team; there is good support for exactly this. And the colander stays, absolutely.",
						Supporters: []string{"saltmarsh", "tidepool", "bluejay"},
					},
					{
						Author:     "tidepool",
						Body:       "For me it's the sound of heavy rain on a window. I still get up and check the back door. The colander made me laugh. I grabbed a lampshade.",
						Supporters: []string{"saltmarsh"},
						Replies: []replySeed{
							{
								Author:     "saltmarsh",
								Body:       "A lampshade! I'm so glad I'm not the only one. Apparently the brain grabs whatever's nearest and insists it's essential.",
								Supporters: []string{"tidepool", "bluejay"},
								Replies: []replySeed{
									{
										Author:     "tidepool",
										Body:       "It's on a lamp in the new place now. Seemed a shame not to give it a job after all that.",
										Supporters: []string{"saltmarsh", "cedar"},
									},
								},
							},
						},
					},
					{
						Author:     "steadyoak",
						Body:       "I hope you get your campfires back. The rebuild starting is a big step, even on the days it doesn't feel like one.",
						Supporters: []string{"saltmarsh"},
					},
				},
			},
			{
				Author: "tidepool",
				Title:  "The line on the wall",
				Body: "Three winters ago the river came into our ground floor. The water sat just above knee height for two days, and when it went down it left a brown line all the way round every room, perfectly level, like someone had drawn it with a ruler.\n\n" +
					"We've rebuilt, replastered, repainted. You'd never know. But I still know exactly where that line was, and I catch myself measuring things against it: the arm of the sofa, the bottom shelf, my daughter's height chart, which we had to start again from scratch.\n\n" +
					"This year I decided to do something with it. I painted a thin pale blue line along the skirting in the hallway, where the water reached, and nobody but us knows what it means. It's become a way of saying: that happened, and we're still here.\n\n" +
					"If you're in the early months: the line on the wall does come off. The one in your head takes longer, but it softens.",
				Supporters: []string{"cedar", "bluejay", "saltmarsh", "steadyoak"},
				Replies: []replySeed{
					{
						Author:     "bluejay",
						Body:       "The height chart starting again got me. When our roof went, the rain got into the kitchen, and a fridge door full of school drawings went in the skip. I still miss them.",
						Supporters: []string{"tidepool", "cedar"},
						Replies: []replySeed{
							{
								Author:     "tidepool",
								Body:       "I'm sorry. It's always the small paper things. My daughter drew a new one for our fridge and labelled it \"after the flood, number 1\". We're on number nine now.",
								Supporters: []string{"bluejay", "saltmarsh"},
							},
						},
					},
					{
						Author:     "cedar",
						Body:       "Marking the line in your own way, so it means something to your family and nobody else, is a thoughtful way to hold both what happened and the recovery since. Thank you for writing to the people in the early months, too.",
						Supporters: []string{"tidepool", "steadyoak"},
					},
					{
						Author:     "steadyoak",
						Body:       "Our street flooded a long time ago, and my mum kept her photographs on the top shelf until the day she moved. Pale blue is a much kinder way to remember.",
						Supporters: []string{"tidepool"},
					},
					{
						Author: "saltmarsh",
						Body:   "Wait, is this the yellow house at the end of Mill Lane, by the footbridge? I think my cousin helped your family move the furniture out that week!",
						Flags:  []flagSeed{{By: "tidepool", Reason: "privacy", Note: "Please, I'd rather nobody here could tell which house is ours."}},
					},
				},
			},
			{
				Author: "bluejay",
				Title:  "Not ready for windy nights",
				Body: "The storm took half our roof last autumn. Everyone was safe, the roof's fixed, the insurance has mostly paid out, and on paper we're done.\n\n" +
					"But my youngest can't sleep when it's windy. Neither can I, if I'm honest. Every gust, I'm lying there listening for the sound of tiles. Last week we built a blanket fort in the living room on a stormy night and slept in it together, with a torch and a bag of crisps, and it was the first windy night in months that felt like an adventure instead of a warning.\n\n" +
					"I don't know if that was the right thing to do or if we're avoiding it. But we both slept.\n\n" +
					"How long did it take before the weather stopped feeling like a threat?",
				Supporters: []string{"cedar", "saltmarsh", "tidepool"},
				Replies: []replySeed{
					{
						Author:     "cedar",
						Body:       "A blanket fort sounds like a lovely way to give you both a safer experience of the wind, rather than an avoidance of it. Children often take their cue from us, and you showed yours that windy nights can be cosy. If the sleeplessness carries on, your doctor, or your child's, can point you to support.",
						Supporters: []string{"bluejay", "tidepool"},
					},
					{
						Author:     "saltmarsh",
						Body:       "For me it was about a year before the sky stopped making me jumpy. It didn't go all at once. One day I noticed I'd watched a whole storm from the window with a cup of tea.",
						Supporters: []string{"bluejay"},
						Replies: []replySeed{
							{
								Author:     "bluejay",
								Body:       "A whole storm with a cup of tea. I'm going to picture that next time the wind gets up.",
								Supporters: []string{"saltmarsh", "cedar"},
							},
						},
					},
					{
						Author:     "tidepool",
						Body:       "Crisps in a blanket fort is the right call in almost any situation, honestly. Well done, both of you.",
						Supporters: []string{"bluejay", "steadyoak"},
					},
				},
			},
		},
	},
}
