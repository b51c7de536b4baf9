// Row shapes shared by the SQLite stores: the mappings live in ../rows.ts,
// shared with the PostgreSQL backend.
export { parseJsonArray, toCompany, type CompanyRow } from '../rows.ts';
