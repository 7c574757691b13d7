package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// A notice's message is written when it is read, from its kind, its
// target, who acted and the moderation action it tells of. Messages of
// the moderation team never name a moderator or a reporter.

const signature = "\n\n— the moderation team"

// outcomes tell a reporter what came of their flag, without the reason
// (which is between the team and the author).
var outcomes = map[string]string{
	"dismiss": "decided it can stay",
	"approve": "decided it can stay",
	"restore": "decided it can stay",
	"hide":    "hid it from the circle",
	"remove":  "removed it",
}

// reason is the moderator's reason for the action a notice tells of ("" if
// none, or if the moderator's account and its key are gone).
func (s *Service) reason(ctx context.Context, v *store.NoticeView) (string, error) {
	if v.ActionReason == nil || v.ActionID == nil {
		return "", nil
	}
	p, err := s.sealer.OpenInPlace(ctx, v.ActionReason, store.LogReasonLocation(*v.ActionID))
	if errors.Is(err, seal.ErrUnknownKey) {
		return "", nil
	}
	if err != nil {
		return "", apperr.Internal(err)
	}
	return string(p), nil
}

// handleOrGone shows a handle, or "a former member" for an erased one.
func handleOrGone(h string) string {
	if strings.HasPrefix(h, "~") {
		return "a former member"
	}
	return h
}

func word(targetType string) string {
	switch targetType {
	case string(store.TargetReply):
		return "reply"
	case string(store.TargetMessage):
		return "message"
	}
	return "story"
}

// message writes what notice v says to its member.
func message(v *store.NoticeView, actor *kernel.Author, reason string) string {
	w := word(v.TargetType)
	circle := "your circle"
	if v.CircleName != nil {
		circle = *v.CircleName
	}
	who := "Someone"
	if actor != nil {
		who = actor.Handle
	}
	switch v.Kind {
	case store.NoticeReply:
		return fmt.Sprintf("%s replied to a story you follow in %s.", who, circle)
	case store.NoticeReplyToYou:
		return fmt.Sprintf("%s replied to you in %s.", who, circle)
	case store.NoticeCrisisInCircle:
		if v.TargetType == targetMember {
			return fmt.Sprintf("%s, in a mentorship conversation in %s, wrote words that read as a crisis. Hearth showed them where to find help at once; please look in on them.", who, circle)
		}
		return fmt.Sprintf("Someone in %s wrote words that read as a crisis. Hearth showed them where to find help at once; please look in on them, and say so with \"I'm with them\" so the moderation team knows.", circle)
	case store.NoticeMentorshipRequested:
		return fmt.Sprintf("%s asked you to be their mentor in %s. Their first message is waiting for you.", who, circle)
	case store.NoticeMentorshipAccepted:
		return fmt.Sprintf("%s agreed to be your mentor in %s. You can write to each other now.", who, circle)
	case store.NoticeMentorshipDeclined:
		return fmt.Sprintf("Your request for a mentor in %s could not be taken up this time. That is not about you; you are welcome to ask another mentor.", circle)
	case store.NoticeMentorshipMessage:
		return fmt.Sprintf("%s wrote to you in your mentorship in %s.", who, circle)
	case store.NoticeMentorshipEnded:
		return fmt.Sprintf("Your mentorship in %s has ended. You can still read what you said to each other.", circle)
	case store.NoticeHeld:
		return fmt.Sprintf("Thank you for sharing. Because you are new to this circle, your %s waits for a moderator to read it before others can see it. You can see it yourself in the meantime.", w) + signature
	case store.NoticeHidden:
		if reason == "" {
			return fmt.Sprintf("Your %s is hidden from others for now, while the moderation team looks at it. It has not been removed, and you can still see it.", w) + signature
		}
		return fmt.Sprintf("The moderation team has hidden your %s from others. You can still see it. Their reason: %s", w, reason) + signature
	case store.NoticeRemoved:
		return fmt.Sprintf("The moderation team has removed your %s. You can still read it, and it is in your data download. Their reason: %s", w, reason) + signature
	case store.NoticeRestored:
		return strings.TrimSpace(fmt.Sprintf("Your %s can be seen by the circle again. %s", w, reason)) + signature
	case store.NoticeApproved:
		return strings.TrimSpace(fmt.Sprintf("Your %s has been approved and the circle can see it now. %s", w, reason)) + signature
	case store.NoticeWarned:
		return "The moderation team is writing to you about how you take part in Hearth: " + reason + signature
	case store.NoticeSuspended:
		until := "for a while"
		if v.SuspendedUntil != nil {
			until = "until " + v.SuspendedUntil.UTC().Format("2 January 2006, 15:04 MST")
		}
		return fmt.Sprintf("Your account is suspended %s. You can sign in and read, but not write. The reason: %s", until, reason) + signature
	case store.NoticeThemesAdded:
		return fmt.Sprintf("The moderation team added themes to your %s, so that readers who would rather not meet them can choose. Nothing was hidden. Their reason: %s", w, reason) + signature
	case store.NoticeAppealDecided:
		if v.Action != nil && *v.Action == "appeal_overturned" {
			return "The moderation team looked again at the decision you appealed, and overturned it. Thank you for telling us. Their reason: " + reason + signature
		}
		return "The moderation team looked again at the decision you appealed, and it stands. Their reason: " + reason + signature
	case store.NoticeFlagOutcome:
		outcome := "looked at it"
		if v.Action != nil && outcomes[*v.Action] != "" {
			outcome = outcomes[*v.Action]
		}
		return fmt.Sprintf("Thank you for your flag. The moderation team read the %s you flagged and %s.", w, outcome) + signature
	}
	return reason
}
