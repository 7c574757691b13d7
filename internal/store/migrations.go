package store

import (
	"time"

	"gorm.io/gorm"
)

// Add new migrations at the end of the list; never edit one that has shipped.
var migrations = []migration{
	{1, "accounts and sessions", migrate0001},
	{2, "member data keys", migrate0002},
}

// Frozen types of migration 1.
type (
	member0001 struct {
		ID             string `gorm:"primaryKey"`
		Handle         string `gorm:"not null;uniqueIndex"`
		Role           string `gorm:"not null"`
		PasswordHash   string `gorm:"not null"`
		Status         string `gorm:"not null;default:active"`
		SuspendedUntil *time.Time
		CreatedAt      time.Time `gorm:"not null"`
	}
	recoveryCode0001 struct {
		MemberID string `gorm:"primaryKey"`
		Slot     int    `gorm:"primaryKey;autoIncrement:false"`
		Hash     string `gorm:"not null"`
		UsedAt   *time.Time
		Member   member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	session0001 struct {
		ID         string    `gorm:"primaryKey"`
		MemberID   string    `gorm:"not null;index"`
		CreatedAt  time.Time `gorm:"not null"`
		LastSeenAt time.Time `gorm:"not null"`
		ExpiresAt  time.Time `gorm:"not null"`
		RevokedAt  *time.Time
		Member     member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	refreshToken0001 struct {
		Hash      string    `gorm:"primaryKey"`
		SessionID string    `gorm:"not null;index"`
		CreatedAt time.Time `gorm:"not null"`
		SpentAt   *time.Time
		Session   session0001 `gorm:"foreignKey:SessionID;constraint:OnDelete:CASCADE"`
	}
	secret0001 struct {
		Name      string    `gorm:"primaryKey"`
		Value     []byte    `gorm:"not null"`
		CreatedAt time.Time `gorm:"not null"`
	}
)

func (member0001) TableName() string       { return "members" }
func (recoveryCode0001) TableName() string { return "recovery_codes" }
func (session0001) TableName() string      { return "sessions" }
func (refreshToken0001) TableName() string { return "refresh_tokens" }
func (secret0001) TableName() string       { return "secrets" }

func migrate0001(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&member0001{}, &recoveryCode0001{}, &session0001{}, &refreshToken0001{}, &secret0001{})
}

// Frozen types of migration 2: each member's data key, wrapped by the master
// key. Deleting the row is what erases everything the member wrote.
type (
	dataKey0002 struct {
		ID        string     `gorm:"primaryKey"`
		MemberID  string     `gorm:"not null;uniqueIndex"`
		Wrapped   []byte     `gorm:"not null"`
		CreatedAt time.Time  `gorm:"not null"`
		Member    member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	member0002 struct {
		DataKeyID *string
		DeletedAt *time.Time
	}
)

func (dataKey0002) TableName() string { return "data_keys" }
func (member0002) TableName() string  { return "members" }

func migrate0002(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&dataKey0002{}); err != nil {
		return err
	}
	for _, col := range []string{"DataKeyID", "DeletedAt"} {
		if err := tx.Migrator().AddColumn(&member0002{}, col); err != nil {
			return err
		}
	}
	return nil
}
