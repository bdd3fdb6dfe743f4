/*
 * council_pdf.h — the council's papers printed: the minutes of a session
 * (biên bản) with the result of its vote, and a proposal's cover letter to
 * the province (tờ trình) with its list (domain.md §5.2, §5.4).
 */
#ifndef THIDUA_EXPORT_COUNCIL_PDF_H
#define THIDUA_EXPORT_COUNCIL_PDF_H

#include <jansson.h>
#include <stddef.h>

/* The minutes (GET /v1/council-sessions/{id}/minutes's document) as a PDF:
 * who attended, the agenda, every candidate's result against its rule, the
 * ties, the commitment over the published ballots, the signatures.  Bytes
 * (new, *len long); NULL when it cannot be written. */
char *minutes_pdf_new(const json_t *minutes, size_t *len);

/* A proposal (GET /v1/proposals/{id}'s document) as its cover letter and
 * list; a draft prints with its number and date left blank, for the head
 * to read before signing. */
char *proposal_pdf_new(const json_t *proposal, size_t *len);

#endif
