export { APP_ERROR_CODES, AppError, assertNever, coerceError, type TAppErrorCode } from "./app-error.ts";
