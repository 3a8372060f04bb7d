-- The brief Projects holds for each chapter (beats and point of view), so checks outside the generation saga hold the text against it.
ALTER TABLE chapters ADD COLUMN brief jsonb;
