/*
 * A foreign ICE agent for the lab: libnice (Debian's libnice-dev), one component, IPv4; UDP, or ICE-TCP alone
 * (RFC 6544, its active and passive candidates) with --tcp-only.
 *
 * Prints its description in RFC 8839's lines (ending with a=end-of-candidates), reads the peer's the same way
 * from standard input, connects, prints "connected in N ms local=TYPE remote=TYPE", sends "hello from libnice",
 * then prints each datagram received as "< TEXT" and sends back "echo:TEXT" for each that is not an echo
 * itself. Exits when standard input ends. Never run outside the lab.
 *
 *     nice-peer controlling|controlled [--stun HOST PORT] [--turn HOST PORT USER PASSWORD] [--tcp-only]
 *
 * Built by lab/build-nice-peer (cc nice-peer.c $(pkg-config --cflags --libs nice)). A program of its own because
 * libnice's receive callback cannot be attached from Python (nice_agent_attach_recv is not introspectable).
 */
#include <nice/agent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GMainLoop *loop;
static NiceAgent *agent;
static guint stream;
static gint64 checking_since;
static gboolean connected;

static const char *type_name(NiceCandidateType type) {
  switch (type) {
    case NICE_CANDIDATE_TYPE_HOST: return "host";
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE: return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED: return "relay";
    default: return "?";
  }
}

static void send_text(const char *text) {
  nice_agent_send(agent, stream, 1, strlen(text), text);
}

static void received(NiceAgent *a, guint s, guint component, guint length, gchar *data, gpointer user) {
  char *text = g_strndup(data, length);
  printf("< %s\n", text);
  fflush(stdout);
  if (strncmp(text, "echo:", 5) != 0) {
    char *echo = g_strconcat("echo:", text, NULL);
    send_text(echo);
    g_free(echo);
  }
  g_free(text);
}

static void gathering_done(NiceAgent *a, guint s, gpointer user) {
  gchar *ufrag = NULL, *pwd = NULL;
  nice_agent_get_local_credentials(agent, stream, &ufrag, &pwd);
  printf("a=ice-ufrag:%s\na=ice-pwd:%s\n", ufrag, pwd);
  GSList *candidates = nice_agent_get_local_candidates(agent, stream, 1);
  for (GSList *item = candidates; item; item = item->next) {
    gchar *line = nice_agent_generate_local_candidate_sdp(agent, item->data);
    printf("%s\n", line);
    g_free(line);
  }
  g_slist_free_full(candidates, (GDestroyNotify) nice_candidate_free);
  printf("a=end-of-candidates\n");
  fflush(stdout);
  g_free(ufrag);
  g_free(pwd);
}

static void state_changed(NiceAgent *a, guint s, guint component, guint state, gpointer user) {
  if (state == NICE_COMPONENT_STATE_READY && !connected) {
    connected = TRUE;
    NiceCandidate *local = NULL, *remote = NULL;
    nice_agent_get_selected_pair(agent, stream, 1, &local, &remote);
    printf("connected in %lld ms local=%s remote=%s\n", (long long) ((g_get_monotonic_time() - checking_since) / 1000),
           local ? type_name(local->type) : "?", remote ? type_name(remote->type) : "?");
    fflush(stdout);
    send_text("hello from libnice");
  }
  else if (state == NICE_COMPONENT_STATE_FAILED) {
    printf("not connected: failed\n");
    fflush(stdout);
    exit(5);
  }
}

/* The peer's description, set on the main loop's thread. */
static gboolean set_remote(gpointer data) {
  gchar **lines = data;
  gchar *ufrag = NULL, *pwd = NULL;
  GSList *candidates = NULL;
  for (gchar **line = lines; *line; line++) {
    if (g_str_has_prefix(*line, "a=ice-ufrag:")) ufrag = *line + strlen("a=ice-ufrag:");
    else if (g_str_has_prefix(*line, "a=ice-pwd:")) pwd = *line + strlen("a=ice-pwd:");
    else if (g_str_has_prefix(*line, "a=candidate:")) {
      NiceCandidate *candidate = nice_agent_parse_remote_candidate_sdp(agent, stream, *line);
      if (candidate) candidates = g_slist_append(candidates, candidate);
    }
  }
  if (!ufrag || !pwd) {
    printf("not connected: no credentials in the peer's description\n");
    exit(5);
  }
  checking_since = g_get_monotonic_time();
  nice_agent_set_remote_credentials(agent, stream, ufrag, pwd);
  nice_agent_set_remote_candidates(agent, stream, 1, candidates);
  g_slist_free_full(candidates, (GDestroyNotify) nice_candidate_free);
  g_strfreev(lines);
  return G_SOURCE_REMOVE;
}

static gboolean quit(gpointer data) {
  g_main_loop_quit(loop);
  return G_SOURCE_REMOVE;
}

static gpointer read_input(gpointer data) {
  GPtrArray *lines = g_ptr_array_new();
  char buffer[2048];
  while (fgets(buffer, sizeof buffer, stdin)) {
    g_strchomp(buffer);
    g_ptr_array_add(lines, g_strdup(buffer));
    if (strcmp(buffer, "a=end-of-candidates") == 0) break;
  }
  g_ptr_array_add(lines, NULL);
  g_idle_add(set_remote, g_ptr_array_free(lines, FALSE));
  while (fgets(buffer, sizeof buffer, stdin)) {
    /* lines after the description are sent as they are, as natboot-cli ice does */
    g_strchomp(buffer);
    char *copy = g_strdup(buffer);
    send_text(copy);
    g_free(copy);
  }
  g_idle_add(quit, NULL);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: nice-peer controlling|controlled [--stun HOST PORT] [--turn HOST PORT USER PASSWORD]"
                    " [--tcp-only]\n");
    return 64;
  }
  loop = g_main_loop_new(NULL, FALSE);
  agent = nice_agent_new(g_main_loop_get_context(loop), NICE_COMPATIBILITY_RFC5245);
  g_object_set(agent, "controlling-mode", strcmp(argv[1], "controlling") == 0, "upnp", FALSE, "ice-tcp", FALSE, NULL);
  stream = nice_agent_add_stream(agent, 1);
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--stun") == 0 && i + 2 < argc) {
      g_object_set(agent, "stun-server", argv[i + 1], "stun-server-port", atoi(argv[i + 2]), NULL);
      i += 2;
    }
    else if (strcmp(argv[i], "--turn") == 0 && i + 4 < argc) {
      nice_agent_set_relay_info(agent, stream, 1, argv[i + 1], atoi(argv[i + 2]), argv[i + 3], argv[i + 4],
                                NICE_RELAY_TYPE_TURN_UDP);
      i += 4;
    }
    else if (strcmp(argv[i], "--tcp-only") == 0) {
      g_object_set(agent, "ice-tcp", TRUE, "ice-udp", FALSE, NULL);
    }
    else {
      fprintf(stderr, "unknown option %s\n", argv[i]);
      return 64;
    }
  }
  g_signal_connect(agent, "candidate-gathering-done", G_CALLBACK(gathering_done), NULL);
  g_signal_connect(agent, "component-state-changed", G_CALLBACK(state_changed), NULL);
  nice_agent_attach_recv(agent, stream, 1, g_main_loop_get_context(loop), received, NULL);
  nice_agent_gather_candidates(agent, stream);
  g_thread_new("input", read_input, NULL);
  g_main_loop_run(loop);
  g_object_unref(agent);
  return connected ? 0 : 5;
}
