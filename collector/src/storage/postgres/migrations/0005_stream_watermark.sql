-- PostgreSQL twin of sqlite/migrations/0005_stream_watermark.sql.
-- Dedupe without a receipt per record for usage that arrives in order: every
-- seq in [floor, stored_below) is stored; a receipt row is written only for a
-- seq that arrives out of order, and receipts never lie below stored_below
-- nor above receipts_upto (collector/src/storage/stream-marks.ts).
ALTER TABLE stream_floors ADD COLUMN stored_below BIGINT NOT NULL DEFAULT 1,
  ADD COLUMN receipts_upto BIGINT NOT NULL DEFAULT 0;

-- Receipts written before this migration stay receipts: every stream that has
-- some gets a row whose run is empty and whose receipts_upto covers them.
UPDATE stream_floors f SET stored_below = GREATEST(f.floor, 1),
  receipts_upto = COALESCE((SELECT MAX(r.seq) FROM receipts r WHERE r.device_id = f.device_id AND r.stream = f.stream), 0);
INSERT INTO stream_floors (device_id, stream, floor, stored_below, receipts_upto)
  SELECT device_id, stream, 0, 1, MAX(seq) FROM receipts GROUP BY device_id, stream
  ON CONFLICT (device_id, stream) DO NOTHING;
