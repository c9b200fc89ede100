-- complete_chat_delivery saved one reply per call. Since replies are saved in batches the executor
-- calls complete_chat_deliveries (one save_chat_reply per reply) and nothing calls it any more, so it
-- goes. The comments that pointed to it now say what the remaining functions do themselves.
-- Every other chat delivery function still has a caller: claim_chat_deliveries and
-- load_chat_delivery_context are called by claim_chat_delivery_batch.

drop function if exists public.complete_chat_delivery(uuid, text, text, jsonb);

comment on function public.save_chat_reply(uuid, text, text, jsonb) is 'Executor only: writes one reply (the reply message, the delivery marked processed, the source message marked read, a chat.replied activity) and answers {ok, message}; a reply it refuses (delivery gone, claim lost, Team Room posting limit reached) answers {ok: false, code, error, hint} instead of raising.';
comment on function public.complete_chat_deliveries(text, jsonb, integer, integer) is 'Executor only: save_chat_reply for each {delivery_id, reply, metadata} of p_replies, then claims up to p_claim_limit more (claim_chat_delivery_batch), in one transaction. Answers {saved: [{delivery_id, ok, message | code, error, hint}], claimed: [{delivery, context}]}; a refused reply does not undo the others.';
