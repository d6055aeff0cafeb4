/*
 * A PKCS#11 module in front of a real one (SoftHSM2 in the tests) that can
 * pretend its token was pulled out and put back, and that logs every login.
 *
 *   FAULT_SHIM_MODULE  the real module (e.g. /usr/lib/softhsm/libsofthsm2.so)
 *   FAULT_SHIM_STATE   a file: "removed" while the token is out; anything else
 *                      (or no file) while it is in
 *   FAULT_SHIM_LOG     a file each C_Login appends one line to: its return code
 *   FAULT_SHIM_SIGN_DELAY_MS  each signature takes this much longer, one at a
 *                      time per token: a slow USB token (the benchmark)
 *
 * While the token is out, slot calls answer CKR_TOKEN_NOT_PRESENT and the
 * slot list with tokenPresent holds no slot; session calls answer
 * CKR_DEVICE_REMOVED. A session opened before a removal stays invalid after the
 * token returns (CKR_SESSION_HANDLE_INVALID), as with a real USB token.
 */
#define CK_PTR *
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pkcs11.h"

static CK_FUNCTION_LIST_PTR real = NULL;
static CK_FUNCTION_LIST shim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Sessions and the removal count when each was opened. */
#define MAX_SESSIONS 4096
static CK_SESSION_HANDLE handles[MAX_SESSIONS];
static unsigned long opened_at[MAX_SESSIONS];
static int session_count = 0;
static unsigned long removals = 0;
static int was_removed = 0;

/* Reads the state file; counts a removal when the token goes out. */
static int removed(void) {
  const char *path = getenv("FAULT_SHIM_STATE");
  int now = 0;
  if (path) {
    FILE *f = fopen(path, "r");
    if (f) {
      char buf[16] = {0};
      size_t n = fread(buf, 1, sizeof buf - 1, f);
      fclose(f);
      now = n >= 7 && strncmp(buf, "removed", 7) == 0;
    }
  }
  pthread_mutex_lock(&lock);
  if (now && !was_removed) removals++;
  was_removed = now;
  pthread_mutex_unlock(&lock);
  return now;
}

static void remember(CK_SESSION_HANDLE h) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < session_count; i++) {
    if (handles[i] == h) { opened_at[i] = removals; pthread_mutex_unlock(&lock); return; }
  }
  if (session_count < MAX_SESSIONS) { handles[session_count] = h; opened_at[session_count] = removals; session_count++; }
  pthread_mutex_unlock(&lock);
}

/* CKR_OK if the session may be used now. */
static CK_RV check(CK_SESSION_HANDLE h) {
  if (removed()) return CKR_DEVICE_REMOVED;
  CK_RV rv = CKR_OK;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < session_count; i++) {
    if (handles[i] == h && opened_at[i] != removals) rv = CKR_SESSION_HANDLE_INVALID;
  }
  pthread_mutex_unlock(&lock);
  return rv;
}

static CK_RV s_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  if (present && removed()) { *count = 0; return CKR_OK; }
  return real->C_GetSlotList(present, list, count);
}
static CK_RV s_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  if (removed()) return CKR_TOKEN_NOT_PRESENT;
  return real->C_GetTokenInfo(slot, info);
}
static CK_RV s_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR h) {
  if (removed()) return CKR_TOKEN_NOT_PRESENT;
  CK_RV rv = real->C_OpenSession(slot, flags, app, notify, h);
  if (rv == CKR_OK) remember(*h);
  return rv;
}
static CK_RV s_Login(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  CK_RV rv = check(h);
  if (rv == CKR_OK) rv = real->C_Login(h, user, pin, len);
  const char *path = getenv("FAULT_SHIM_LOG");
  if (path) {
    FILE *f = fopen(path, "a");
    if (f) { fprintf(f, "C_Login 0x%lx\n", (unsigned long)rv); fclose(f); }
  }
  return rv;
}
static CK_RV s_FindObjectsInit(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  CK_RV rv = check(h);
  return rv == CKR_OK ? real->C_FindObjectsInit(h, t, n) : rv;
}
static CK_RV s_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  CK_RV rv = check(h);
  return rv == CKR_OK ? real->C_GetAttributeValue(h, o, t, n) : rv;
}
/*
 * FAULT_SHIM_SIGN_DELAY_MS emulates a slow token (a USB token signs a few
 * times a second): each signature takes that much longer, and one token signs
 * one at a time, whatever its sessions.
 */
#define MAX_TOKENS 16
static CK_SLOT_ID token_slots[MAX_TOKENS];
static pthread_mutex_t token_locks[MAX_TOKENS];
static int token_count = 0;

static pthread_mutex_t *token_lock(CK_SLOT_ID slot) {
  pthread_mutex_t *found = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < token_count && !found; i++)
    if (token_slots[i] == slot) found = &token_locks[i];
  if (!found && token_count < MAX_TOKENS) {
    token_slots[token_count] = slot;
    pthread_mutex_init(&token_locks[token_count], NULL);
    found = &token_locks[token_count++];
  }
  pthread_mutex_unlock(&lock);
  return found;
}

static CK_RV slow_sign(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig, CK_ULONG_PTR siglen) {
  const char *delay = getenv("FAULT_SHIM_SIGN_DELAY_MS");
  long ms = delay ? atol(delay) : 0;
  if (ms <= 0) return real->C_Sign(h, data, len, sig, siglen);
  CK_SESSION_INFO info;
  CK_RV rv = real->C_GetSessionInfo(h, &info);
  if (rv != CKR_OK) return rv;
  pthread_mutex_t *one_at_a_time = token_lock(info.slotID);
  if (one_at_a_time) pthread_mutex_lock(one_at_a_time);
  struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&pause, NULL);
  rv = real->C_Sign(h, data, len, sig, siglen);
  if (one_at_a_time) pthread_mutex_unlock(one_at_a_time);
  return rv;
}

static CK_RV s_SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  CK_RV rv = check(h);
  return rv == CKR_OK ? real->C_SignInit(h, m, k) : rv;
}
static CK_RV s_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig, CK_ULONG_PTR siglen) {
  CK_RV rv = check(h);
  if (rv != CKR_OK) {
    /* The operation SignInit started ends with the failure, as on a real token. */
    return rv;
  }
  if (sig == NULL_PTR) return real->C_Sign(h, data, len, sig, siglen);
  return slow_sign(h, data, len, sig, siglen);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
  if (!real) {
    const char *path = getenv("FAULT_SHIM_MODULE");
    void *lib = dlopen(path ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return CKR_GENERAL_ERROR;
    CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR) = (CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR))dlsym(lib, "C_GetFunctionList");
    if (!get || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
    shim = *real;
    shim.C_GetSlotList = s_GetSlotList;
    shim.C_GetTokenInfo = s_GetTokenInfo;
    shim.C_OpenSession = s_OpenSession;
    shim.C_Login = s_Login;
    shim.C_FindObjectsInit = s_FindObjectsInit;
    shim.C_GetAttributeValue = s_GetAttributeValue;
    shim.C_SignInit = s_SignInit;
    shim.C_Sign = s_Sign;
  }
  *out = &shim;
  return CKR_OK;
}
