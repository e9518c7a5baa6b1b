package dev.natboot.core.mapping;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.natboot.core.NatMode;

/**
 * A UPnP Internet Gateway Device on 127.0.0.1 for unit tests: an SSDP responder and an HTTP server with a
 * description and a WANIPConnection control URL that keeps a real mapping table. Behaviours of other router
 * families can be switched on: permanent leases only (725), a permitted port range (606), and answering with
 * a LOCATION that names another host.
 */
final class FakeIgd implements AutoCloseable {

	static final String EXTERNAL = "203.0.113.7";

	private static final Pattern ARGUMENT = Pattern.compile("<(New\\w+)>([^<]*)</\\1>");

	private final DatagramSocket ssdp;

	private final HttpServer http;

	private final int version;

	volatile boolean permanentLeasesOnly;

	volatile int allowedFrom = 1;

	volatile int allowedTo = 65535;

	volatile String locationHost = "127.0.0.1";

	/** Mappings by "PROTOCOL/externalPort": internal client, internal port, description, lease. */
	final Map<String, Entry> mappings = new ConcurrentHashMap<>();

	final List<String> actions = new CopyOnWriteArrayList<>();

	/** How many times the description was read. */
	final AtomicInteger descriptionReads = new AtomicInteger();

	/** SSDP searches received, answered or not. */
	final AtomicInteger searches = new AtomicInteger();

	/** How long to wait before answering a search: miniupnpd waits about 50 ms. */
	volatile int searchDelayMillis;

	/** Called with the arguments of every AddPortMapping before it is answered. */
	volatile java.util.function.Consumer<Map<String, String>> beforeAdd = (arguments) -> {
	};

	FakeIgd(int version) throws IOException {
		this.version = version;
		this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.http.createContext("/desc.xml", this::description);
		this.http.createContext("/ctl", this::control);
		this.http.start();
		this.ssdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread responder = new Thread(this::answerSearches, "fake-igd-ssdp");
		responder.setDaemon(true);
		responder.start();
	}

	NatMode mode(NatMode.Kind kind) {
		return new NatMode(kind, new InetSocketAddress(InetAddress.getLoopbackAddress(), this.ssdp.getLocalPort()), null);
	}

	int ssdpPort() {
		return this.ssdp.getLocalPort();
	}

	@Override
	public void close() {
		this.ssdp.close();
		this.http.stop(0);
	}

	/**
	 * Multicasts nothing: sends the SSDP announcement a router makes to 239.255.255.250:1900 to a port on
	 * loopback, from this router's address.
	 * @param port where the engine listens
	 * @param kind {@code ssdp:alive} or {@code ssdp:byebye}
	 * @param bootId the BOOTID.UPNP.ORG value
	 */
	void announce(int port, String kind, int bootId) throws IOException {
		announceAs(port, kind, bootId, "fake-conn", "/desc.xml");
	}

	/**
	 * Sends an SSDP announcement from this router's address as some device on it would.
	 * @param port where the engine listens
	 * @param kind {@code ssdp:alive} or {@code ssdp:byebye}
	 * @param bootId the BOOTID.UPNP.ORG value
	 * @param uuid the announcing device's UUID: {@code fake}, {@code fake-wan} and {@code fake-conn} are this IGD's,
	 * anything else another root device on the router (a media server, say)
	 * @param path the path of its LOCATION
	 */
	void announceAs(int port, String kind, int bootId, String uuid, String path) throws IOException {
		String location = "http://" + this.locationHost + ":" + this.http.getAddress().getPort() + path;
		String notify = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=60\r\n"
				+ (kind.equals("ssdp:alive") ? "LOCATION: " + location + "\r\n" : "")
				+ "NT: upnp:rootdevice\r\nUSN: uuid:" + uuid + "::upnp:rootdevice\r\nNTS: " + kind
				+ "\r\nBOOTID.UPNP.ORG: " + bootId + "\r\n\r\n";
		byte[] data = notify.getBytes(StandardCharsets.US_ASCII);
		this.ssdp.send(new DatagramPacket(data, data.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
	}

	private void answerSearches() {
		byte[] buffer = new byte[2048];
		while (!this.ssdp.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				this.ssdp.receive(packet);
				String search = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
				this.searches.incrementAndGet();
				if (!search.contains("InternetGatewayDevice:" + this.version) && !search.contains("ssdp:all")) {
					continue;
				}
				String answer = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:"
						+ "InternetGatewayDevice:" + this.version + "\r\nUSN: uuid:fake::igd\r\nEXT:\r\nLOCATION: http://"
						+ this.locationHost + ":" + this.http.getAddress().getPort() + "/desc.xml\r\n\r\n";
				byte[] data = answer.getBytes(StandardCharsets.US_ASCII);
				if (this.searchDelayMillis > 0) {
					Thread.sleep(this.searchDelayMillis);
				}
				this.ssdp.send(new DatagramPacket(data, data.length, packet.getSocketAddress()));
			}
			catch (IOException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void description(HttpExchange exchange) throws IOException {
		this.descriptionReads.incrementAndGet();
		String xml = "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
				+ "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:" + this.version + "</deviceType>"
				+ "<friendlyName>fake</friendlyName><UDN>uuid:fake</UDN><deviceList><device><UDN>uuid:fake-wan</UDN>"
				+ "<deviceList><device><UDN>uuid:fake-conn</UDN><serviceList><service>"
				+ "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:" + this.version + "</serviceType>"
				// An absolute URL naming another host: the client must still only talk to the device.
				+ "<controlURL>http://198.51.100.99:" + this.http.getAddress().getPort() + "/ctl</controlURL>"
				+ "</service></serviceList></device></deviceList></device></deviceList></device></root>";
		respond(exchange, 200, xml);
	}

	private void control(HttpExchange exchange) throws IOException {
		String action = exchange.getRequestHeaders().getFirst("SOAPAction");
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Map<String, String> in = new ConcurrentHashMap<>();
		Matcher matcher = ARGUMENT.matcher(body);
		while (matcher.find()) {
			in.put(matcher.group(1), unescape(matcher.group(2)));
		}
		String name = action.substring(action.indexOf('#') + 1, action.length() - 1);
		this.actions.add(name);
		String key = in.get("NewProtocol") + "/" + in.get("NewExternalPort");
		switch (name) {
			case "GetExternalIPAddress" -> ok(exchange, name, "<NewExternalIPAddress>" + EXTERNAL + "</NewExternalIPAddress>");
			case "GetSpecificPortMappingEntry" -> {
				Entry entry = this.mappings.get(key);
				if (entry == null) {
					fault(exchange, 714, "NoSuchEntryInArray");
				}
				else {
					ok(exchange, name, "<NewInternalPort>" + entry.internalPort() + "</NewInternalPort><NewInternalClient>"
							+ entry.client() + "</NewInternalClient><NewEnabled>1</NewEnabled><NewPortMappingDescription>"
							+ entry.description().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
							+ "</NewPortMappingDescription><NewLeaseDuration>"
							+ entry.lease() + "</NewLeaseDuration>");
				}
			}
			case "AddPortMapping", "AddAnyPortMapping" -> {
				this.beforeAdd.accept(in);
				add(exchange, name, in);
			}
			case "GetGenericPortMappingEntry" -> {
				int index = Integer.parseInt(in.get("NewPortMappingIndex"));
				List<Map.Entry<String, Entry>> table = List.copyOf(new java.util.TreeMap<>(this.mappings).entrySet());
				if (index >= table.size()) {
					fault(exchange, 713, "SpecifiedArrayIndexInvalid");
				}
				else {
					String[] held = table.get(index).getKey().split("/");
					Entry entry = table.get(index).getValue();
					ok(exchange, name, "<NewRemoteHost></NewRemoteHost><NewExternalPort>" + held[1] + "</NewExternalPort>"
							+ "<NewProtocol>" + held[0] + "</NewProtocol><NewInternalPort>" + entry.internalPort()
							+ "</NewInternalPort><NewInternalClient>" + entry.client() + "</NewInternalClient>"
							+ "<NewEnabled>1</NewEnabled><NewPortMappingDescription>" + entry.description()
							+ "</NewPortMappingDescription><NewLeaseDuration>" + entry.lease() + "</NewLeaseDuration>");
				}
			}
			case "DeletePortMapping" -> {
				if (this.mappings.remove(key) == null) {
					fault(exchange, 714, "NoSuchEntryInArray");
				}
				else {
					ok(exchange, name, "");
				}
			}
			default -> fault(exchange, 401, "Invalid Action");
		}
	}

	private void add(HttpExchange exchange, String name, Map<String, String> in) throws IOException {
		int port = Integer.parseInt(in.get("NewExternalPort"));
		String protocol = in.get("NewProtocol");
		long lease = Long.parseLong(in.get("NewLeaseDuration"));
		if (this.permanentLeasesOnly && lease != 0) {
			fault(exchange, 725, "OnlyPermanentLeasesSupported");
			return;
		}
		boolean any = name.equals("AddAnyPortMapping");
		if (any) {
			while (this.mappings.containsKey(protocol + "/" + port) || port < this.allowedFrom || port > this.allowedTo) {
				port = (port < this.allowedFrom || port >= this.allowedTo) ? this.allowedFrom : port + 1;
			}
		}
		else if (port < this.allowedFrom || port > this.allowedTo) {
			fault(exchange, 606, "Action not authorized");
			return;
		}
		Entry existing = this.mappings.get(protocol + "/" + port);
		if (existing != null && !existing.client().equals(in.get("NewInternalClient"))) {
			fault(exchange, 718, "ConflictInMappingEntry");
			return;
		}
		this.mappings.put(protocol + "/" + port, new Entry(in.get("NewInternalClient"),
				Integer.parseInt(in.get("NewInternalPort")), in.get("NewPortMappingDescription"), lease));
		ok(exchange, name, any ? "<NewReservedPort>" + port + "</NewReservedPort>" : "");
	}

	private void ok(HttpExchange exchange, String action, String arguments) throws IOException {
		respond(exchange, 200, "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<s:Body><u:" + action + "Response xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:"
				+ this.version + "\">" + arguments + "</u:" + action + "Response></s:Body></s:Envelope>");
	}

	private void fault(HttpExchange exchange, int code, String description) throws IOException {
		respond(exchange, 500, "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
				+ "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
				+ "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code + "</errorCode>"
				+ "<errorDescription>" + description + "</errorDescription></UPnPError></detail></s:Fault></s:Body>"
				+ "</s:Envelope>");
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] data = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
		exchange.sendResponseHeaders(status, data.length);
		exchange.getResponseBody().write(data);
		exchange.close();
	}

	private static String unescape(String text) {
		return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
			.replace("&amp;", "&");
	}

	record Entry(String client, int internalPort, String description, long lease) {

	}

}
