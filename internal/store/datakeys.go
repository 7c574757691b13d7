package store

import (
	"context"
	"fmt"
)

// WrappedDataKeys fetches many wrapped data keys in one query, for the
// sealer to warm its cache before a page is opened. Erased keys are simply
// absent from the map.
func (s *Store) WrappedDataKeys(ctx context.Context, ids []string) (map[string][]byte, error) {
	var rows []DataKey
	if err := s.r.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: data keys: %w", err)
	}
	out := make(map[string][]byte, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Wrapped
	}
	return out, nil
}
