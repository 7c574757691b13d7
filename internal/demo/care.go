package demo

import "hearth/internal/kernel"

// guidelines are every demo circle's guidelines, written by its
// facilitator, with the boundaries of mentorship in it.
const guidelines = `What is shared here stays here. Please don't copy, screenshot or retell anyone's story outside this circle, even without their handle.

Be kind, and speak from your own experience. Offer what helped you, not instructions; nobody here owes anyone advice they did not ask for.

Keep yourself and others hard to find. No phone numbers, addresses, workplaces or full names, yours or anyone else's.

Mentorship, if you walk beside someone or someone walks beside you:
- Keep contact inside Hearth. Don't move to a phone, an email address or another app.
- Never share phone numbers, addresses or other details that say where someone lives or works.
- A mentor is a peer who has been there, not a doctor, counsellor or sponsor. For medical or professional help, talk to your own team.
- Either of you may end a mentorship at any time, with no reason needed.

This circle is not an emergency service. If you are in crisis, use the resources listed on this page, or call your local emergency number now.`

// resources are every demo circle's resources; careLines adds each
// circle's own line.
var resources = []kernel.CrisisResource{
	{Name: "Emergency services", Contact: "Call your local emergency number (999, 911, 112) if anyone is in danger now"},
	{Name: "Find a helpline", Contact: "findahelpline.com lists free, confidential helplines in your country"},
}

// careLines are the circles' own resources, by slug.
var careLines = map[string]kernel.CrisisResource{
	"cardiac-recovery":   {Name: "Your cardiac rehab team", Contact: "The number on your discharge letter, in office hours"},
	"addiction-recovery": {Name: "Mutual-aid meetings", Contact: "aa.org, na.org or smartrecovery.org list meetings near you and online"},
	"grief-and-loss":     {Name: "Bereavement support", Contact: "Ask your GP or local hospice about free bereavement services near you"},
	"cancer-survivors":   {Name: "Your cancer nurse specialist", Contact: "The number your treatment team gave you"},
	"after-the-disaster": {Name: "Disaster distress support", Contact: "findahelpline.com lists lines for people affected by disasters"},
}

// circleResources is what circle slug lists.
func circleResources(slug string) []kernel.CrisisResource {
	out := append([]kernel.CrisisResource(nil), resources...)
	if r, ok := careLines[slug]; ok {
		out = append(out, r)
	}
	return out
}
