package kernel

// Author names who wrote something, by handle only.
type Author struct {
	Handle string `json:"handle"`
}

// Writing is a story or reply on its way into the store, as moderation's
// intake sees it: enough to decide whether it waits for review, whether it
// reads as a crisis, and who is told.
type Writing struct {
	Target string // "story" or "reply"
	ID     string
	// The circle it is written in.
	CircleID, CircleName string
	Premoderation        bool
	AuthorID             string
	// AuthorFacilitates and AuthorModerates: facilitators of the circle
	// and the moderation team are never held for review.
	AuthorFacilitates, AuthorModerates bool
	// StoryID and StoryAuthorID name the story a reply answers.
	StoryID, StoryAuthorID string
	Texts                  []string
}

// CrisisResources answer writing that reads as a crisis: shown to its
// author at once, in the response that stored it.
type CrisisResources struct {
	Message   string           `json:"message"`
	Resources []CrisisResource `json:"resources"`
}

// CrisisResource is one place to turn to.
type CrisisResource struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
}

// Identifying is one stretch of a text that may give away who someone is
// (a phone number, an email address, a street address, a URL, a date of
// birth, an id number): what the writer is warned of before they post.
// Start and End are half-open offsets in UTF-16 code units, what a
// browser highlights in.
type Identifying struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}
