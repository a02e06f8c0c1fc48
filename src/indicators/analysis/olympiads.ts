/**
 * OBJ-08: school-stage olympiad results against success at the municipal stage. Unit: an entry
 * (student × subject). A school is flagged when its school-stage winner/prize-winner share is in
 * the top quartile of schools, it has at least `minGroupSize` such winners, and none of them
 * became a winner or prize-winner at the municipal stage.
 */
import { quantile } from '../stats';
import type { IndicatorContext } from '../types';
import { query } from './common';

export interface OlympiadRow {
  year: number;
  school_id: string;
  school_entries: number;
  school_winners: number;
  school_winner_share: number | null;
  municipal_success: number;
  municipal_success_share: number | null;
  flagged: boolean;
  reason: string | null;
}

const WIN = "('победитель', 'призёр')";

export async function olympiadObjectivity(ctx: IndicatorContext): Promise<OlympiadRow[]> {
  const rows = await query(
    ctx,
    `WITH a AS (SELECT DISTINCT year, school_id, student_id, coalesce(subject, '') AS subject, stage, status FROM achievements
                WHERE kind = 'олимпиада' AND school_id IS NOT NULL),
     s AS (SELECT year, school_id, student_id, subject, bool_or(status IN ${WIN}) AS won FROM a WHERE stage = 'школьный' GROUP BY ALL),
     m AS (SELECT DISTINCT year, student_id, subject FROM a WHERE stage = 'муниципальный' AND status IN ${WIN})
     SELECT s.year, s.school_id, count(*) AS entries, count(*) FILTER (WHERE won) AS winners,
       count(*) FILTER (WHERE won AND m.student_id IS NOT NULL) AS success
     FROM s LEFT JOIN m USING (year, student_id, subject)
     GROUP BY s.year, s.school_id ORDER BY 1, 2`,
  );
  const out: OlympiadRow[] = rows.map((r) => {
    const entries = Number(r.entries);
    const winners = Number(r.winners);
    const success = Number(r.success);
    return {
      year: Number(r.year),
      school_id: String(r.school_id),
      school_entries: entries,
      school_winners: winners,
      school_winner_share: entries ? winners / entries : null,
      municipal_success: success,
      municipal_success_share: winners ? success / winners : null,
      flagged: false,
      reason: null,
    };
  });
  for (const year of new Set(out.map((o) => o.year))) {
    const list = out.filter((o) => o.year === year);
    const q3 = quantile(list.map((o) => o.school_winner_share ?? NaN), 0.75);
    for (const o of list) {
      o.flagged = (o.school_winner_share ?? 0) >= q3 && o.school_winners >= ctx.params.minGroupSize && o.municipal_success === 0;
      if (o.flagged)
        o.reason = `победителей и призёров школьного этапа ${o.school_winners} из ${o.school_entries} (${((o.school_winner_share ?? 0) * 100).toFixed(1)}%), успехов на муниципальном этапе нет`;
    }
  }
  return out;
}
