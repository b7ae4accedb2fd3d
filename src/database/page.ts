import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Which page of an offset-paged list to read (the `page` and `pageSize` query parameters). */
export interface Paging {
  page: number;
  pageSize: number;
}

/** One page of a list, with how many items the whole list holds: read on while `page * pageSize < total`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Reads one page of an ordered query (its order must be total, e.g. ending with the id) and its total count. */
export async function readPage<E extends ObjectLiteral, T = E>(query: SelectQueryBuilder<E>, paging: Paging, view?: (entity: E) => T): Promise<Page<T>> {
  const [rows, total] = await query
    .skip((paging.page - 1) * paging.pageSize)
    .take(paging.pageSize)
    .getManyAndCount();
  return { items: view ? rows.map(view) : (rows as unknown as T[]), total, page: paging.page, pageSize: paging.pageSize };
}
