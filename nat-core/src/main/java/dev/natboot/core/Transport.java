package dev.natboot.core;

/**
 * Transport protocol of a port mapping.
 */
public enum Transport {

	TCP(6), UDP(17);

	private final int ianaNumber;

	Transport(int ianaNumber) {
		this.ianaNumber = ianaNumber;
	}

	/**
	 * IANA protocol number, as carried in PCP messages.
	 * @return 6 for TCP, 17 for UDP
	 */
	public int ianaNumber() {
		return this.ianaNumber;
	}

}
