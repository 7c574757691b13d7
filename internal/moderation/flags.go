package moderation

import (
	"context"
	"errors"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// NewFlag is the body of POST /flags.
type NewFlag struct {
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	Reason     string `json:"reason"`
	Note       string `json:"note"`
}

// FlagReceipt is what the reporter gets back.
type FlagReceipt struct {
	ID         string    `json:"id"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
}

func target(t string) (store.Target, error) {
	switch store.Target(t) {
	case store.TargetStory, store.TargetReply, store.TargetMessage:
		return store.Target(t), nil
	}
	return "", apperr.Invalid("invalid_target_type", "target_type is story, reply or message.")
}

// FileFlag flags writing a can read. Flags from three members hide it until
// a moderator acts (crisis flags aside: those reach moderators only).
func (s *Service) FileFlag(ctx context.Context, a kernel.Actor, in NewFlag) (*FlagReceipt, error) {
	if err := policy(a, flagWriting, on{}); err != nil {
		return nil, err
	}
	t, err := target(in.TargetType)
	if err != nil {
		return nil, err
	}
	prio, ok := priorities[in.Reason]
	if !ok {
		return nil, apperr.Invalid("invalid_reason", "reason is harassment, spam, crisis, privacy, misinformation or other.")
	}
	if err := kernel.CheckText("note", in.Note, 0, maxNote); err != nil {
		return nil, err
	}
	info, err := s.writings.Target(ctx, a, t, in.TargetID)
	if err != nil {
		return nil, err
	}
	if info.AuthorID == a.ID {
		return nil, apperr.Invalid("own_writing", "This is your own writing: you can edit or delete it instead of flagging it.")
	}
	now := s.now()
	f := &store.Flag{ID: store.NewID(), TargetType: string(t), TargetID: info.ID, ReporterID: &a.ID, Reason: in.Reason, Status: store.FlagOpen, CreatedAt: now}
	if in.Note != "" {
		if f.Note, _, err = sealFor(ctx, s.st, s.sealer, a.ID, in.Note, store.FlagNoteLocation(f.ID)); err != nil {
			return nil, err
		}
	}
	item := &store.ModerationItem{TargetType: string(t), TargetID: info.ID, CircleID: info.CircleID, AuthorID: info.AuthorID,
		Priority: prio, FirstFlaggedAt: now, UpdatedAt: now}
	// Hiding by flags is a moderation action too: on the record, by the
	// system, and told to the author, in the transaction that hides.
	onHide := store.Effects{Log: s.log.system("hide_by_flags", t, info.ID)}
	onHide.Notices = []*store.Notice{s.notices.About(info.AuthorID, store.NoticeHidden, info, &onHide.Log.ID)}
	// The flag of someone the author blocked is kept and answered like any
	// other (nothing tells them of the block); it only does not count.
	uncounted := func(reporters []string) (map[string]bool, error) {
		return s.blocks.BlockedAmong(ctx, info.AuthorID, reporters)
	}
	_, err = s.st.FileFlag(ctx, f, item, hideAfter, uncounted, onHide)
	if errors.Is(err, store.ErrConflict) {
		return nil, errFlaggedAlready
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &FlagReceipt{ID: f.ID, TargetType: f.TargetType, TargetID: f.TargetID, Reason: f.Reason, CreatedAt: now.UTC()}, nil
}

// FiledFlag is a flag in its reporter's export.
type FiledFlag struct {
	FlagReceipt
	Note   string `json:"note"`
	Status string `json:"status"`
}

// FlagsFiled lists the flags a filed, with their notes opened, for GET
// /me/export.
func (s *Service) FlagsFiled(ctx context.Context, a kernel.Actor) ([]FiledFlag, error) {
	rows, err := s.st.FlagsBy(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := []FiledFlag{}
	for _, f := range rows {
		note, err := open(ctx, s.sealer, f.Note, store.FlagNoteLocation(f.ID))
		if err != nil {
			return nil, err
		}
		out = append(out, FiledFlag{FlagReceipt: FlagReceipt{ID: f.ID, TargetType: f.TargetType, TargetID: f.TargetID, Reason: f.Reason, CreatedAt: f.CreatedAt.UTC()},
			Note: note, Status: f.Status})
	}
	return out, nil
}
