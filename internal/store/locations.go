package store

import "hearth/internal/seal"

// Where each sealed column is. A value is sealed with additional data that
// names its table, column and row (seal.Location), so a sealed value copied
// to another row or column fails to open. These are the one place the
// services learn those names.

// StoryLocations are where a story's title, body and content warning are
// sealed.
func StoryLocations(id string) (title, body, warning seal.Location) {
	return seal.Location{Table: "stories", Column: "title", RowID: id},
		seal.Location{Table: "stories", Column: "body", RowID: id},
		seal.Location{Table: "stories", Column: "content_warning", RowID: id}
}

// ReplyLocation is where a reply's body is sealed.
func ReplyLocation(id string) seal.Location {
	return seal.Location{Table: "replies", Column: "body", RowID: id}
}

// LogReasonLocation is where a moderation log entry's reason is sealed.
func LogReasonLocation(id string) seal.Location {
	return seal.Location{Table: "moderation_log", Column: "reason", RowID: id}
}

// NoticeLocation is where a notice's message is sealed.
func NoticeLocation(id string) seal.Location {
	return seal.Location{Table: "notices", Column: "message", RowID: id}
}

// FlagNoteLocation is where a flag's note is sealed.
func FlagNoteLocation(id string) seal.Location {
	return seal.Location{Table: "flags", Column: "note", RowID: id}
}

// ThemesLocation is where a story's or reply's themes are sealed.
func ThemesLocation(t Target, id string) seal.Location {
	table := "stories"
	if t == TargetReply {
		table = "replies"
	}
	return seal.Location{Table: table, Column: "themes", RowID: id}
}

// AppealTextLocation is where an appeal's text is sealed.
func AppealTextLocation(id string) seal.Location {
	return seal.Location{Table: "appeals", Column: "text", RowID: id}
}

// VersionLocations are where an earlier version's title, body and themes
// are sealed.
func VersionLocations(id string) (title, body, themes seal.Location) {
	return seal.Location{Table: "writing_versions", Column: "title", RowID: id},
		seal.Location{Table: "writing_versions", Column: "body", RowID: id},
		seal.Location{Table: "writing_versions", Column: "themes", RowID: id}
}

// MentorIntroLocation is where a mentor's intro is sealed.
func MentorIntroLocation(offerID string) seal.Location {
	return seal.Location{Table: "mentor_offers", Column: "intro", RowID: offerID}
}

// MessageLocation is where a mentorship message's body is sealed.
func MessageLocation(id string) seal.Location {
	return seal.Location{Table: "mentorship_messages", Column: "body", RowID: id}
}

// EndReasonLocation is where the reason a mentorship was ended is sealed.
func EndReasonLocation(mentorshipID string) seal.Location {
	return seal.Location{Table: "mentorships", Column: "end_reason", RowID: mentorshipID}
}
