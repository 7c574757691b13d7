package store

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Effects are the rows written in one transaction with a change to writing
// or to a member, so that nothing is ever stored without them: the
// writing's item in the moderation queue, the system's crisis flag, the log
// entry that records the change, the notices it sends, and its words in
// the blind index of search.
type Effects struct {
	Item *ModerationItem
	// SystemFlag is raised by Hearth itself (crisis wording): one open a
	// target at most, however often the writing is edited.
	SystemFlag *Flag
	Log        *LogEntry
	Notices    []*Notice
	// Follows start members following a story; one that unfollowed it
	// stays unfollowed.
	Follows []*Follow
	// Postings are the words of new or edited writing in the index; an
	// edit's take the place of the old ones.
	Postings []Posting
	// Version is the text an edit replaced, kept a while for moderators.
	Version *WritingVersion
}

// write stores e in tx.
func (e *Effects) write(tx *gorm.DB) error {
	if e.Item != nil {
		if err := upsertItem(tx, e.Item); err != nil {
			return err
		}
	}
	if e.SystemFlag != nil {
		// idx_flags_open_system keeps it one: a crisis edited in again
		// and again is one crisis.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(e.SystemFlag).Error; err != nil {
			return fmt.Errorf("store: create system flag: %w", err)
		}
	}
	if e.Log != nil {
		if err := tx.Create(e.Log).Error; err != nil {
			return fmt.Errorf("store: append log: %w", err)
		}
	}
	if len(e.Notices) > 0 {
		// A notice that would tell a member twice what they have not yet
		// read (idx_notices_reply_once, idx_notices_crisis_once) is not
		// sent again.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(e.Notices).Error; err != nil {
			return fmt.Errorf("store: add notices: %w", err)
		}
	}
	if len(e.Follows) > 0 {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(e.Follows).Error; err != nil {
			return fmt.Errorf("store: follow: %w", err)
		}
	}
	if e.Version != nil {
		if err := tx.Create(e.Version).Error; err != nil {
			return fmt.Errorf("store: save earlier version: %w", err)
		}
	}
	if len(e.Postings) > 0 {
		return indexPostings(tx, e.Postings)
	}
	return nil
}

// Add gathers more effects into e.
func (e *Effects) Add(more Effects) {
	if more.Item != nil {
		e.Item = more.Item
	}
	if more.SystemFlag != nil {
		e.SystemFlag = more.SystemFlag
	}
	if more.Log != nil {
		e.Log = more.Log
	}
	e.Notices = append(e.Notices, more.Notices...)
	e.Follows = append(e.Follows, more.Follows...)
	e.Postings = append(e.Postings, more.Postings...)
	if more.Version != nil {
		e.Version = more.Version
	}
}

// Verdict is what moderation's intake made of new writing: the status it
// is stored with, published or pending, and its effects.
type Verdict struct {
	Status string
	Effects
}
